import { ConcurrencyError, decodeKvKey, encodeKvKey, subjectOf } from '../src';
import { parseAckSubject } from '../src/lib/ack-subject';
import { assertAggregate, assertFilter, decodeStored, encodeEnvelope, toEnvelope } from '../src/lib/codec';
import { wrongLastSequence } from '../src/lib/errors';
import { UpcasterRegistry } from '../src/lib/upcasters';
import { ev } from './helpers';

describe('subjectOf / aggregates', () => {
  it('maps an aggregate to evt.<type>.<id>', () => {
    expect(subjectOf({ type: 'network', id: 'abc' })).toBe('evt.network.abc');
  });
  it('rejects ids that are not single subject tokens', () => {
    expect(() => assertAggregate({ type: 'network', id: 'a.b' })).toThrow();
    expect(() => assertAggregate({ type: 'net*', id: 'x' })).toThrow();
    expect(() => assertAggregate({ type: 'network', id: '' })).toThrow();
    expect(() => assertAggregate({ type: 'security_group', id: '0b0e-11' })).not.toThrow();
  });
});

describe('subject filters', () => {
  it.each(['evt.>', 'evt.network.*', 'evt.*.abc', 'evt.port.p-1'])('accepts %p', (f) => expect(() => assertFilter(f)).not.toThrow());
  it.each(['evt..x', 'evt.>.x', 'evt.net*', '', 'evt. x'])('rejects %p', (f) => expect(() => assertFilter(f)).toThrow());
});

describe('envelope codec', () => {
  it('fills id (uuid v4), at (ISO UTC) and schema 1', () => {
    const env = toEnvelope(ev('network', 'n1', 'network.created', { a: 1 }));
    expect(env.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(env.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(env.schema).toBe(1);
  });
  it('keeps given id/at/schema and round-trips', () => {
    const env = toEnvelope(ev('network', 'n1', 'network.created', { a: 1 }, { id: 'x', at: '2020-01-01T00:00:00.000Z', schema: 3 }));
    const back = decodeStored(encodeEnvelope(env), 7, 'evt.network.n1');
    expect(back).toEqual({ ...env, seq: 7, subject: 'evt.network.n1' });
  });
});

describe('ack subject parsing', () => {
  it('parses the v1 form', () => {
    expect(parseAckSubject('$JS.ACK.NEUTRINO.c1.1.42.7.1700000000000000000.3')).toEqual({
      stream: 'NEUTRINO', consumer: 'c1', delivered: 1, streamSeq: 42, consumerSeq: 7, pending: 3,
    });
  });
  it('parses the v2 form with domain and account hash', () => {
    const a = parseAckSubject('$JS.ACK.dom.ACCHASH.NEUTRINO.c1.2.42.7.1700000000000000000.0.tok');
    expect(a).toMatchObject({ stream: 'NEUTRINO', consumer: 'c1', delivered: 2, streamSeq: 42, consumerSeq: 7, pending: 0 });
  });
  it('ignores other subjects', () => {
    expect(parseAckSubject('_INBOX.x')).toBeNull();
    expect(parseAckSubject(undefined)).toBeNull();
  });
});

describe('upcasters', () => {
  const stored = (schema: number, data: unknown) => ({ ...toEnvelope(ev('port', 'p', 'port.created', data, { schema })), seq: 1, subject: 'evt.port.p' });
  it('chains upcasters to the latest schema', () => {
    const r = new UpcasterRegistry();
    r.register('port.created', 1, (d) => ({ ...d, mac: d.mac_address }));
    r.register('port.created', 2, (d) => ({ ...d, v3: true }));
    const out = r.apply(stored(1, { mac_address: 'fa:16' }));
    expect(out.schema).toBe(3);
    expect(out.data).toEqual({ mac_address: 'fa:16', mac: 'fa:16', v3: true });
    expect(r.apply(stored(3, { x: 1 })).data).toEqual({ x: 1 });
  });
  it('refuses a duplicate registration', () => {
    const r = new UpcasterRegistry();
    r.register('a', 1, (d) => d);
    expect(() => r.register('a', 1, (d) => d)).toThrow();
  });
});

describe('KV key escaping', () => {
  it.each([
    'compute-1.example.org',
    'host_2',
    'weird key/with spaces',
    '.leading',
    'trailing.',
    'a..b',
    'ünïcode=équals',
    'a=2E',
  ])('round-trips %p to a valid KV key', (k) => {
    const e = encodeKvKey(k);
    expect(e).toMatch(/^[-/=.\w]+$/);
    expect(e.startsWith('.') || e.endsWith('.') || e.includes('..')).toBe(false);
    expect(decodeKvKey(e)).toBe(k);
  });
  it('leaves host names readable', () => {
    expect(encodeKvKey('compute-1.example.org')).toBe('compute-1.example.org');
  });
});

describe('errors', () => {
  it('recognises JetStream wrong last sequence', () => {
    const err = Object.assign(new Error('wrong last sequence: 5'), { api_error: { code: 400, err_code: 10071, description: 'wrong last sequence: 5' } });
    expect(wrongLastSequence(err)).toEqual({ actual: 5 });
    expect(wrongLastSequence(new Error('other'))).toBeNull();
    const c = new ConcurrencyError('evt.a.b', 0, 5);
    expect(c).toBeInstanceOf(Error);
    expect(c).toMatchObject({ name: 'ConcurrencyError', subject: 'evt.a.b', expectedSeq: 0, actualSeq: 5 });
  });
});
