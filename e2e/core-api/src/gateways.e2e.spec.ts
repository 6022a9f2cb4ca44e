import { SuiteFixture, member } from '@neutrino/testing-suite';

jest.setTimeout(240_000);

/**
 * Three api-gateways behind one address (HAProxy, infra/haproxy/api.cfg), as
 * `neutrino start --gateways 3` runs them: each has its own projection, and
 * the read fence (NEUTRINO_READ_FENCE) makes a write answered by one visible
 * to an immediate read through another.
 */
describe('several gateways behind one address', () => {
  let fx: SuiteFixture;
  const tenant = member('gw-tenant');

  beforeAll(async () => {
    fx = await SuiteFixture.start({ gateways: 3, front: true });
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('runs three gateways on their own ports and HAProxy on the API address', async () => {
    const urls = fx.suite.gatewayUrls;
    expect(urls).toHaveLength(3);
    expect(new Set([fx.suite.apiUrl, ...urls]).size).toBe(4);
    for (const base of [fx.suite.apiUrl, ...urls]) expect((await fx.api('GET', '/v2.0/networks', undefined, tenant, base)).status).toBe(200);
  });

  it('1,000 alternating write/read pairs: a write through one gateway is seen by an immediate read through the next', async () => {
    const gw = fx.suite.gatewayUrls;
    const created = await fx.api('POST', '/v2.0/networks', { network: { name: 'pair-0' } }, tenant, gw[0]);
    expect(created.status).toBe(201);
    const id = created.body.network.id as string;
    const stale: string[] = [];
    for (let k = 1; k <= 1000; k++) {
      const writer = gw[k % 3];
      const reader = gw[(k + 1) % 3];
      const w = await fx.api('PUT', `/v2.0/networks/${id}`, { network: { name: `pair-${k}` } }, tenant, writer);
      expect(w.status).toBe(200);
      const r = await fx.api('GET', `/v2.0/networks/${id}`, undefined, tenant, reader);
      expect(r.status).toBe(200);
      if (r.body.network.name !== `pair-${k}` || r.body.network.revision_number !== w.body.network.revision_number) {
        stale.push(`pair ${k}: wrote ${w.body.network.name} rev ${w.body.network.revision_number} through ${writer}, read ${r.body.network.name} rev ${r.body.network.revision_number} through ${reader}`);
      }
    }
    expect(stale).toEqual([]);
  });

  it('a resource created through one gateway can be used at once through another (a subnet on a network another gateway created)', async () => {
    const gw = fx.suite.gatewayUrls;
    for (let k = 0; k < 30; k++) {
      const net = await fx.api('POST', '/v2.0/networks', { network: { name: `chain-${k}` } }, tenant, gw[k % 3]);
      expect(net.status).toBe(201);
      const sub = await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.body.network.id, cidr: `10.${k}.0.0/24`, ip_version: 4 } }, tenant, gw[(k + 1) % 3]);
      expect(sub.status).toBe(201);
      const port = await fx.api('POST', '/v2.0/ports', { port: { network_id: net.body.network.id } }, tenant, gw[(k + 2) % 3]);
      expect(port.status).toBe(201);
      expect(port.body.port.fixed_ips).toEqual([{ subnet_id: sub.body.subnet.id, ip_address: expect.stringMatching(new RegExp(`^10\\.${k}\\.0\\.`)) }]);
    }
  });

  it('through the front, a client with one keep-alive connection reads its writes though HAProxy sends each request to the next gateway', async () => {
    const stale: number[] = [];
    for (let k = 0; k < 200; k++) {
      // a project each (10 security groups is the quota): its default group is made on its first request too
      const who = member(`gw-front-${k}`);
      const c = await fx.api('POST', '/v2.0/security-groups', { security_group: { name: `front-${k}` } }, who);
      expect(c.status).toBe(201);
      const r = await fx.api('GET', `/v2.0/security-groups/${c.body.security_group.id}`, undefined, who);
      if (r.status !== 200) stale.push(k);
    }
    expect(stale).toEqual([]);
  });

  it('a gateway killed with SIGKILL: HAProxy takes it out of rotation and reads through the front go on answering', async () => {
    const victim = fx.suite.processes.get('api-gateway3')!;
    expect(victim.pid).toBeDefined();
    const failures: string[] = [];
    let answered = 0;
    const killAt = 100;
    for (let k = 0; k < 400; k++) {
      if (k === killAt) process.kill(victim.pid!, 'SIGKILL');
      const r = await fx.api('GET', '/v2.0/networks?limit=1', undefined, tenant).catch((e: Error) => ({ status: 0, body: e.message }));
      if (r.status === 200) answered++;
      else failures.push(`${k}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    // A connection refused is retried on another gateway (retry-on conn-failure); none of the 400 fails.
    expect(failures).toEqual([]);
    expect(answered).toBe(400);
  });
});
