import * as net from 'node:net';
import { freePort } from '@neutrino/testing';
import { SuiteFixture, member, type Answer } from '@neutrino/testing-suite';

/** Sends raw bytes and reads the whole answer (for what fetch will not send: a 20 KB header line). */
function rawRequest(port: number, text: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (c) => (data += c));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), body: rest.length && rest.join('') ? JSON.parse(rest.join('\r\n\r\n')) : null });
    });
  });
}

/** Issue 9, "input that breaks the API": every hostile input gets a 4xx NeutronError and the log does not move. */
describe('input limits at the edge', () => {
  let fx: SuiteFixture;
  let metricsPort: number;
  let netId: string;
  let subnetId: string;
  let portId: string;
  const alice = member('alice');
  const admin = {};
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  beforeAll(async () => {
    metricsPort = await freePort();
    fx = await SuiteFixture.start({ env: { NEUTRINO_GATEWAY_METRICS_PORT: String(metricsPort), NEUTRINO_MAX_FIXED_IPS_PER_PORT: '8' } });
    netId = (await fx.api('POST', '/v2.0/networks', { network: { name: 'edge-net' } }, alice)).body.network.id;
    subnetId = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: netId, cidr: '10.3.0.0/22', ip_version: 4 } }, alice)).body.subnet.id;
    portId = (await fx.api('POST', '/v2.0/ports', { port: { network_id: netId } }, alice)).body.port.id;
  });
  afterAll(async () => {
    await fx?.stop();
  });

  const apiPort = () => Number(new URL(fx.suite.apiUrl).port);
  type Case = [name: string, send: () => Promise<Answer | { status: number; body: any }>, status: number, type: string, message: RegExp | null];
  const cases: Case[] = [
    ['a 20 KB description nested 10,000 levels', () => fx.api('POST', '/v2.0/networks', `{"network": {"description": ${deep(10_000)}}}`, alice), 400, 'HTTPBadRequest', /nested deeper than 32/],
    ['a binding:profile nested 10,000 levels (before ipam)', () => fx.api('POST', '/v2.0/ports', `{"port": {"network_id": "${netId}", "binding:profile": {"a": ${deep(10_000)}}}}`, admin), 400, 'HTTPBadRequest', /nested deeper than 32/],
    ['a binding:profile nested 1,000 levels', () => fx.api('PUT', `/v2.0/ports/${portId}`, `{"port": {"binding:profile": {"a": ${deep(1_000)}}}}`, admin), 400, 'HTTPBadRequest', /nested deeper than 32/],
    ['a binding:profile longer than its column', () => fx.api('POST', '/v2.0/ports', { port: { network_id: netId, 'binding:profile': { a: 'x'.repeat(5000) } } }, admin), 400, 'InvalidInput', /binding:profile value too large/],
    ['a 256-character description', () => fx.api('PUT', `/v2.0/networks/${netId}`, { network: { description: 'd'.repeat(256) } }, alice), 400, 'HTTPBadRequest', /exceeds maximum length of 255/],
    ...['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'].map((key): Case => [
      `the attribute ${key}`, () => fx.api('POST', '/v2.0/networks', `{"network": {"name": "p", "${key}": 1}}`, alice), 400, 'HTTPBadRequest', new RegExp(`Unrecognized attribute\\(s\\) '${key}'`),
    ]),
    ['the attribute constructor on a port update', () => fx.api('PUT', `/v2.0/ports/${portId}`, '{"port": {"constructor": {}}}', alice), 400, 'HTTPBadRequest', /Unrecognized attribute\(s\) 'constructor'/],
    ['If-Match: revision_number=abc', () => fx.api('PUT', `/v2.0/networks/${netId}`, { network: { name: 'x' } }, { ...alice, 'If-Match': 'revision_number=abc' }), 400, 'BadRequest', /must be in the format of revision_number=<int>/],
    ['two revision_number etags', () => fx.api('DELETE', `/v2.0/ports/${portId}`, undefined, { ...alice, 'If-Match': '"revision_number=1", "revision_number=2"' }), 400, 'BadRequest', /Multiple revision_number etags/],
    ['more fixed IPs than the setting allows (before ipam)', () => fx.api('POST', '/v2.0/ports', { port: { network_id: netId, fixed_ips: Array.from({ length: 9 }, () => ({ subnet_id: subnetId })) } }, alice), 400, 'InvalidInput', /Exceeded maximum amount of fixed ips per port/],
    ['1,000 fixed IPs on an update', () => fx.api('PUT', `/v2.0/ports/${portId}`, { port: { fixed_ips: Array.from({ length: 1000 }, () => ({ subnet_id: subnetId })) } }, alice), 400, 'InvalidInput', /Exceeded maximum amount/],
    ['an over-long query', () => fx.api('GET', `/v2.0/ports?name=${'a'.repeat(9000)}`, undefined, alice), 414, 'HTTPRequestURITooLong', null],
    ['a request line past the HTTP parser', () => rawRequest(apiPort(), `GET /v2.0/ports?name=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`), 414, 'HTTPRequestURITooLong', null],
    ['a 20 KB header', () => rawRequest(apiPort(), `GET /v2.0/ports HTTP/1.1\r\nHost: x\r\nX-Foo: ${'a'.repeat(20_000)}\r\n\r\n`), 431, 'HTTPRequestHeaderFieldsTooLarge', null],
    ['a request the HTTP parser cannot read', () => rawRequest(apiPort(), 'GARBAGE\r\n\r\n'), 400, 'HTTPBadRequest', null],
    ['a body over NEUTRINO_API_MAX_BODY_SIZE', () => fx.api('POST', '/v2.0/networks', { network: { name: 'n'.repeat(2 * 1024 * 1024) } }, alice), 413, 'HTTPRequestEntityTooLarge', null],
    ['an invalid Content-Length', () => rawRequest(apiPort(), 'POST /v2.0/networks HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'), 400, 'HTTPBadRequest', null],
    ['a path that does not decode', () => fx.api('GET', '/v2.0/ports/%E0%A4%A', undefined, alice), 400, 'HTTPBadRequest', null],
    ['an over-long id', () => fx.api('PUT', `/v2.0/ports/${'a'.repeat(300)}`, { port: { name: 'x' } }, alice), 404, 'PortNotFound', /could not be found/],
    ['/metrics on the API port', () => fx.api('GET', '/metrics', undefined, alice), 404, 'HTTPNotFound', null],
  ];

  // every row has five entries: with fewer, jest would pass its done callback as the message
  it.each(cases)('%s', async (_name, send, status, type, message) => {
    const before = await fx.store.lastSeq();
    const answer = await send();
    expect({ status: answer.status, type: answer.body?.NeutronError?.type }).toEqual({ status, type });
    if (message) expect(answer.body.NeutronError.message).toMatch(message);
    expect(answer.body.NeutronError).toHaveProperty('detail');
    expect(await fx.store.lastSeq()).toBe(before);
  });

  it('the gateway still serves, and its metrics are on their own port', async () => {
    expect((await fx.api('GET', `/v2.0/ports/${portId}`, undefined, alice)).status).toBe(200);
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(/^neutrino_http_requests_total\{/m);
  });

  it('ipam allocated nothing for the refused ports: one address, for the one port', async () => {
    const allocations = await fx.store.readSubject(`evt.ipam.${subnetId}`);
    expect(allocations.map((e) => e.type)).toEqual(['ip.allocated']);
  });
});
