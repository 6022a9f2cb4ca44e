import { signInstanceId, type InstanceRecord } from '@neutrino/metadata';
import { cameThroughProxy, identify } from './identify';

const SECRET = 'metadatasecret123';
const records = new Map<string, InstanceRecord>([
  ['vm-1', { id: 'vm-1', name: 'one', project_id: 'p1' }],
  ['vm-2', { id: 'vm-2', name: 'two', project_id: 'p2' }],
]);
const find = (id: string) => records.get(id);
const signed = (id: string, tenant: string, extra: Record<string, string> = {}) => ({ 'x-instance-id': id, 'x-tenant-id': tenant, 'x-instance-id-signature': signInstanceId(SECRET, id), 'x-forwarded-for': '10.0.0.5', ...extra });

describe('identify (the metadata API\'s checks)', () => {
  it('a correctly signed request names its instance', () => {
    expect(identify(signed('vm-1', 'p1'), SECRET, find)).toEqual({ ok: true, record: records.get('vm-1'), sourceIp: '10.0.0.5' });
  });

  it('403 for a forged or missing signature, or one made with another secret', () => {
    expect(identify({ ...signed('vm-2', 'p2'), 'x-instance-id-signature': signInstanceId(SECRET, 'vm-1') }, SECRET, find)).toMatchObject({ ok: false, status: 403 });
    expect(identify({ ...signed('vm-1', 'p1'), 'x-instance-id-signature': 'deadbeef' }, SECRET, find)).toMatchObject({ ok: false, status: 403 });
    expect(identify({ 'x-instance-id': 'vm-1', 'x-tenant-id': 'p1' }, SECRET, find)).toMatchObject({ ok: false, status: 403 });
    expect(identify({ ...signed('vm-1', 'p1'), 'x-instance-id-signature': signInstanceId('guess', 'vm-1') }, SECRET, find)).toMatchObject({ ok: false, status: 403 });
  });

  it('400 without the instance or tenant header', () => {
    expect(identify({}, SECRET, find)).toEqual({ ok: false, status: 400, message: 'X-Instance-ID header is missing from request.' });
    expect(identify({ 'x-instance-id': 'vm-1' }, SECRET, find)).toEqual({ ok: false, status: 400, message: 'X-Tenant-ID header is missing from request.' });
  });

  it('404 for an unknown instance or another tenant\'s', () => {
    expect(identify(signed('vm-9', 'p1'), SECRET, find)).toMatchObject({ ok: false, status: 404 });
    expect(identify(signed('vm-2', 'p1'), SECRET, find)).toMatchObject({ ok: false, status: 404 });
  });

  it('knows a request that came through the metadata path', () => {
    expect(cameThroughProxy(signed('vm-1', 'p1'))).toBe(true);
    expect(cameThroughProxy({ 'content-type': 'application/json' })).toBe(false);
  });
});
