import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventStore } from '@neutrino/events';
import { signInstanceId } from '@neutrino/metadata';
import { createLogger } from '@neutrino/observability';
import { freePort, startNats, type NatsServer } from '@neutrino/testing';
import { createMetadataApp } from './create-app';

const SECRET = 'metadatasecret123';
const VM1 = { id: '0d6c8f3e-1111-4111-8111-000000000001', name: 'vm1', project_id: 'p1', user_data: '#cloud-config\nhostname: vm1\n', fixed_ips: ['10.0.0.5'] };
const VM2 = { id: '0d6c8f3e-2222-4222-8222-000000000002', name: 'vm2', project_id: 'p2', public_keys: { k: 'ssh-ed25519 AAAA k' } };
const signed = (id: string, tenant: string) => ({ 'X-Instance-ID': id, 'X-Tenant-ID': tenant, 'X-Instance-ID-Signature': signInstanceId(SECRET, id), 'X-Forwarded-For': '10.0.0.5' });

/** The metadata service on a real nats-server: records from the log, signatures checked. */
describe('metadata-service (integration)', () => {
  let nats: NatsServer;
  let store: EventStore;
  let app: NestFastifyApplication;
  let url: string;

  const start = async () => {
    app = await createMetadataApp({ store, secret: SECRET, logger: createLogger('test', 'silent') });
    const port = await freePort();
    await app.listen(port, '127.0.0.1');
    url = `http://127.0.0.1:${port}`;
  };

  beforeAll(async () => {
    nats = await startNats();
    store = await EventStore.connect({ servers: nats.url });
    await start();
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await nats?.stop();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/instances`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('registers instances as instance.registered events on evt.instance.<id>', async () => {
    expect((await post({ instance: VM1 })).status).toBe(201);
    expect((await post(VM2)).status).toBe(201);
    const [e] = await store.readSubject(`evt.instance.${VM1.id}`);
    expect(e).toMatchObject({ type: 'instance.registered', data: { instance: { ...VM1 } } });
    expect((await post({ instance: { id: 'x' } })).status).toBe(400);
  });

  it('serves each instance its own data, read-your-writes', async () => {
    const meta = await (await fetch(`${url}/openstack/latest/meta_data.json`, { headers: signed(VM1.id, 'p1') })).json();
    expect(meta).toMatchObject({ uuid: VM1.id, name: 'vm1', project_id: 'p1' });
    expect(await (await fetch(`${url}/openstack/latest/user_data`, { headers: signed(VM1.id, 'p1') })).text()).toBe(VM1.user_data);
    expect(await (await fetch(`${url}/latest/meta-data/public-keys/0/openssh-key`, { headers: signed(VM2.id, 'p2') })).text()).toBe('ssh-ed25519 AAAA k');
    expect(await (await fetch(`${url}/latest/meta-data/instance-id`, { headers: signed(VM2.id, 'p2') })).text()).toBe(VM2.id);
  });

  it('refuses a forged signature (403), missing headers (400), another tenant\'s instance (404)', async () => {
    const forged = { ...signed(VM2.id, 'p2'), 'X-Instance-ID-Signature': signInstanceId('a-guess', VM2.id) };
    expect((await fetch(`${url}/openstack/latest/meta_data.json`, { headers: forged })).status).toBe(403);
    expect((await fetch(`${url}/openstack/latest/meta_data.json`, { headers: { 'X-Instance-ID': VM2.id, 'X-Tenant-ID': 'p2' } })).status).toBe(403);
    expect((await fetch(`${url}/openstack/latest/meta_data.json`)).status).toBe(400);
    expect((await fetch(`${url}/openstack/latest/meta_data.json`, { headers: signed(VM2.id, 'p1') })).status).toBe(404);
  });

  it('never registers instances for a request that came through the metadata path', async () => {
    expect((await post({ id: 'evil', name: 'evil', project_id: 'p1' }, signed(VM1.id, 'p1'))).status).toBe(403);
    expect(await store.readSubject('evt.instance.evil')).toEqual([]);
  });

  it('rebuilds its records from the log after a restart; deleted instances are gone', async () => {
    expect((await fetch(`${url}/instances/${VM2.id}`, { method: 'DELETE' })).status).toBe(204);
    await app.close();
    await start();
    expect((await fetch(`${url}/latest/meta-data/hostname`, { headers: signed(VM1.id, 'p1') })).status).toBe(200);
    expect((await fetch(`${url}/latest/meta-data/hostname`, { headers: signed(VM2.id, 'p2') })).status).toBe(404);
  });
});
