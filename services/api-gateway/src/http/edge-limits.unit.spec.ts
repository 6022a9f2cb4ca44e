import { NeutronError } from '@neutrino/domain';
import { MAX_URL_LENGTH, acceptBody, checkRequestLine, clientErrorAnswer } from './edge-limits';

const refusal = (fn: () => unknown) => {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return e instanceof NeutronError ? { status: e.status, type: e.type } : e;
  }
};

describe('the edge of the API', () => {
  it('hands JSON containers on parsed and anything else as text', () => {
    expect(acceptBody('{"network": {}}')).toEqual({ network: {} });
    expect(acceptBody('"{\\"network\\": {}}"')).toBe('"{\\"network\\": {}}"');
    expect(acceptBody('{"network":')).toBe('{"network":');
    expect(acceptBody('')).toBe('');
  });

  it('refuses a body nested 10,000 levels deep (20 KB) with a 400', () => {
    const deep = `{"network": {"description": ${'['.repeat(10_000)}${']'.repeat(10_000)}}}`;
    expect(refusal(() => acceptBody(deep))).toEqual({ status: 400, type: 'HTTPBadRequest' });
  });

  it('checks If-Match on resource paths and the request line length', () => {
    expect(refusal(() => checkRequestLine('/v2.0/networks/x', 'revision_number=abc'))).toEqual({ status: 400, type: 'BadRequest' });
    expect(refusal(() => checkRequestLine('/v2.0/networks/x', 'revision_number=4'))).toBe('no error');
    expect(refusal(() => checkRequestLine(`/v2.0/ports?name=${'a'.repeat(MAX_URL_LENGTH)}`, undefined))).toEqual({ status: 414, type: 'HTTPRequestURITooLong' });
  });

  it("answers the HTTP parser's refusals with Neutron's types", () => {
    const overflow = (packet: string) => Object.assign(new Error('overflow'), { code: 'HPE_HEADER_OVERFLOW', rawPacket: Buffer.from(packet) });
    expect(clientErrorAnswer(overflow(`GET /v2.0/ports?${'a'.repeat(20_000)}`)).status).toBe(414);
    expect(clientErrorAnswer(overflow(`GET /v2.0/ports HTTP/1.1\r\nX-Foo: ${'a'.repeat(20_000)}`)).status).toBe(431);
    expect(clientErrorAnswer(Object.assign(new Error('bad'), { code: 'HPE_INVALID_METHOD' })).type).toBe('HTTPBadRequest');
  });
});
