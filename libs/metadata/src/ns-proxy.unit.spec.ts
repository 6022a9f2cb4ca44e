import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentHeaders, clientIp, createNsProxy } from './ns-proxy';

const listen = (server: http.Server, where: string | number) =>
  new Promise<void>((resolve) => (typeof where === 'string' ? server.listen(where, resolve) : server.listen(where, '127.0.0.1', resolve)));
const close = (server: http.Server) => new Promise((r) => server.close(r));

describe('namespace proxy headers (spec/metadata.md §5.1)', () => {
  it('adds X-Forwarded-For and the network id, drops what the instance claims under trusted names', () => {
    const h = agentHeaders(
      { host: '169.254.169.254', accept: '*/*', 'x-forwarded-for': '10.0.0.99', 'x-neutron-router-id': 'r-forged', 'x-instance-id': 'i-forged', 'x-instance-id-signature': 'f', 'x-tenant-id': 't', connection: 'keep-alive' },
      '10.0.0.5',
      { networkId: 'net-1' },
    );
    expect(h).toEqual({ host: '169.254.169.254', accept: '*/*', 'x-forwarded-for': '10.0.0.5', 'x-neutron-network-id': 'net-1', connection: 'close' });
  });

  it('router path: X-Neutron-Router-ID', () => {
    expect(agentHeaders({}, '10.0.0.5', { routerId: 'r1' })).toEqual({ 'x-forwarded-for': '10.0.0.5', 'x-neutron-router-id': 'r1', connection: 'close' });
  });

  it('reports an IPv4 peer of a dual-stack socket as plain IPv4', () => {
    expect(clientIp('::ffff:10.0.0.5')).toBe('10.0.0.5');
    expect(clientIp('fd00::5')).toBe('fd00::5');
  });
});

describe('namespace proxy → agent over the unix socket', () => {
  let dir: string;
  let agent: http.Server;
  let proxy: http.Server;
  let url: string;
  const seen: http.IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-proxy-'));
    const socketPath = path.join(dir, 'metadata_proxy');
    agent = http.createServer((req, res) => {
      seen.push(req.headers);
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain', 'x-upstream': 'yes' });
        res.end(`${req.method} ${req.url} ${body}`);
      });
    });
    await listen(agent, socketPath);
    proxy = createNsProxy({ socketPath, networkId: 'net-1', port: 0, bindAddress: '127.0.0.1' });
    await listen(proxy, 0);
    url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await close(proxy);
    await close(agent);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes path, method, body and the answer (status, headers) through', async () => {
    const res = await fetch(`${url}/openstack/latest/meta_data.json?x=1`, { headers: { 'X-Instance-ID': 'someone-else' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-upstream')).toBe('yes');
    expect(await res.text()).toBe('GET /openstack/latest/meta_data.json?x=1 ');
    expect(seen.at(-1)).toMatchObject({ 'x-forwarded-for': '127.0.0.1', 'x-neutron-network-id': 'net-1' });
    expect(seen.at(-1)!['x-instance-id']).toBeUndefined();
    const post = await fetch(`${url}/openstack/latest/password`, { method: 'POST', body: 'secret' });
    expect(await post.text()).toBe('POST /openstack/latest/password secret');
    expect((await fetch(`${url}/missing`)).status).toBe(404);
  });

  it('answers 500 when the agent cannot be reached', async () => {
    const lost = createNsProxy({ socketPath: path.join(dir, 'nobody-here'), networkId: 'net-1', port: 0, bindAddress: '127.0.0.1' });
    await listen(lost, 0);
    const res = await fetch(`http://127.0.0.1:${(lost.address() as AddressInfo).port}/latest/meta-data/`);
    expect(res.status).toBe(500);
    await close(lost);
  });
});
