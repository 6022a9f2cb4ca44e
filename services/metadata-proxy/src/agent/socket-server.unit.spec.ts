import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { signInstanceId } from '@neutrino/metadata';
import { createLogger } from '@neutrino/observability';
import { NET_A, ROUTER, VM1, portLog } from '../__fixtures__/port-log';
import { MetadataView } from '../view/metadata-view';
import { createSocketServer, listenOnSocket } from './socket-server';
import { instanceAnswer } from './upstream';

/** A request over the unix socket, as a namespace proxy sends it. */
const viaSocket = (socketPath: string, p: string, headers: Record<string, string>, method = 'GET') =>
  new Promise<{ status: number; body: string; type?: string }>((resolve, reject) => {
    const req = http.request({ socketPath, path: p, method, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body, type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });

describe('metadata agent on its unix socket (spec/metadata.md §5)', () => {
  let dir: string;
  let nova: http.Server;
  let agent: http.Server;
  let socketPath: string;
  let novaStatus = 200;
  const seen: Array<{ url: string; headers: http.IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-agent-'));
    socketPath = path.join(dir, 'metadata', 'network1', 'metadata_proxy');
    nova = http.createServer((req, res) => {
      seen.push({ url: req.url!, headers: req.headers });
      res.writeHead(novaStatus, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ uuid: req.headers['x-instance-id'] }));
    });
    await new Promise<void>((r) => nova.listen(0, '127.0.0.1', r));
    const view = new MetadataView();
    for (const e of portLog()) view.apply(e);
    agent = createSocketServer(view, { socketPath, metadataUrl: `http://127.0.0.1:${(nova.address() as AddressInfo).port}`, secret: 'metadatasecret123', logger: createLogger('test', 'silent') });
    await listenOnSocket(agent, socketPath);
  });
  afterAll(async () => {
    await new Promise((r) => agent.close(r));
    await new Promise((r) => nova.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('forwards with X-Forwarded-For, X-Instance-ID, X-Tenant-ID and the signature; the answer comes back as is', async () => {
    novaStatus = 200;
    const r = await viaSocket(socketPath, '/openstack/latest/meta_data.json', { 'x-forwarded-for': '10.0.0.5', 'x-neutron-network-id': NET_A, 'x-instance-id': 'forged', accept: 'application/json' });
    expect(r).toEqual({ status: 200, body: JSON.stringify({ uuid: VM1 }), type: 'application/json' });
    expect(seen.at(-1)!.url).toBe('/openstack/latest/meta_data.json');
    expect(seen.at(-1)!.headers).toMatchObject({
      'x-forwarded-for': '10.0.0.5',
      'x-instance-id': VM1,
      'x-tenant-id': 'tenant-1',
      'x-instance-id-signature': signInstanceId('metadatasecret123', VM1),
      accept: 'application/json',
    });
    expect(seen.at(-1)!.headers['x-neutron-network-id']).toBeUndefined();
  });

  it('through a router, the same instance', async () => {
    const r = await viaSocket(socketPath, '/latest/meta-data/instance-id', { 'x-forwarded-for': '10.0.0.5', 'x-neutron-router-id': ROUTER });
    expect(r.status).toBe(200);
    expect(seen.at(-1)!.headers['x-instance-id']).toBe(VM1);
  });

  it('404 for an address no instance has (nothing reaches the metadata API)', async () => {
    const before = seen.length;
    expect((await viaSocket(socketPath, '/latest/meta-data/', { 'x-forwarded-for': '10.0.0.77', 'x-neutron-network-id': NET_A })).status).toBe(404);
    expect((await viaSocket(socketPath, '/latest/meta-data/', { 'x-forwarded-for': '10.0.0.5' })).status).toBe(404);
    expect(seen.length).toBe(before);
  });

  it('maps the metadata API\'s errors as Neutron\'s agent does', async () => {
    for (const [status, want] of [[403, 403], [404, 404], [400, 400], [500, 500], [503, 503], [302, 500]]) {
      novaStatus = status;
      expect((await viaSocket(socketPath, '/x', { 'x-forwarded-for': '10.0.0.5', 'x-neutron-network-id': NET_A })).status).toBe(want);
    }
    novaStatus = 200;
    expect(instanceAnswer(500, 'text/plain', Buffer.from('trace')).body.toString()).toMatch(/internal server error/);
  });

  it('500 when the metadata API cannot be reached', async () => {
    const view = new MetadataView();
    for (const e of portLog()) view.apply(e);
    const lost = createSocketServer(view, { socketPath: `${socketPath}-2`, metadataUrl: 'http://127.0.0.1:1', secret: 's', logger: createLogger('test', 'silent') });
    await listenOnSocket(lost, `${socketPath}-2`);
    const r = await viaSocket(`${socketPath}-2`, '/x', { 'x-forwarded-for': '10.0.0.5', 'x-neutron-network-id': NET_A });
    expect(r.status).toBe(500);
    expect(r.body).toMatch(/unknown error/);
    await new Promise((r2) => lost.close(r2));
  });

  it('the socket is 0600', () => {
    expect(fs.statSync(socketPath).mode & 0o777).toBe(0o600);
  });
});
