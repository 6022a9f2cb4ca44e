import * as fs from 'node:fs';
import * as path from 'node:path';
import { SuiteFixture, member } from '@neutrino/testing-suite';

/** Done-when 3: the log is the truth — projections rebuild from it, crashes lose no answered write. */
describe('restarts and crashes', () => {
  let fx: SuiteFixture;
  beforeAll(async () => {
    fx = await SuiteFixture.start({ ipamReplicas: 2 });
  });
  afterAll(async () => {
    await fx?.stop();
  });

  const snapshot = async (headers: Record<string, string> = {}) => ({
    networks: (await fx.api('GET', '/v2.0/networks?sort_key=id&sort_dir=asc', undefined, headers)).body,
    subnets: (await fx.api('GET', '/v2.0/subnets?sort_key=id&sort_dir=asc', undefined, headers)).body,
    ports: (await fx.api('GET', '/v2.0/ports?sort_key=id&sort_dir=asc', undefined, headers)).body,
  });

  it('answers every GET as before after the gateway database is deleted, and keeps allocating without reuse', async () => {
    const alice = member('alice');
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'keep' } }, alice)).body.network;
    await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.20.0.0/24', ip_version: 4, dns_nameservers: ['8.8.8.8'] } }, alice);
    const used = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const p = await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id, name: `vm${i}`, device_owner: 'compute:nova' } }, alice);
      used.add(p.body.port.fixed_ips[0].ip_address);
    }
    await fx.api('PUT', `/v2.0/networks/${net.id}`, { network: { name: 'kept' } }, alice);
    const before = { admin: await snapshot(), alice: await snapshot(alice) };

    await fx.restart({ wipeGatewayDb: true });
    expect(fs.existsSync(path.join(fx.dataDir, 'api-gateway.sqlite'))).toBe(true);
    expect({ admin: await snapshot(), alice: await snapshot(alice) }).toEqual(before);

    const next = await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id } }, alice);
    expect(next.status).toBe(201);
    expect(used.has(next.body.port.fixed_ips[0].ip_address)).toBe(false);
  });

  it('kill -9 of the gateway and of an ipam replica in the middle of writes loses no answered write', async () => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'crash' } })).body.network;
    await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.30.0.0/22', ip_version: 4 } });
    const answered: Array<{ id: string; ip: string }> = [];
    let stop = false;
    const client = async (c: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const r = await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id, name: `c${c}-${i}` } });
          if (r.status === 201) answered.push({ id: r.body.port.id, ip: r.body.port.fixed_ips[0].ip_address });
        } catch {
          await new Promise((r) => setTimeout(r, 20)); // connection refused while the gateway restarts
        }
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    const waitForAnswers = async (n: number) => {
      while (answered.length < n) await new Promise((r) => setTimeout(r, 10));
    };
    await waitForAnswers(30);
    fx.suite.processes.get('api-gateway')!.signal('SIGKILL');
    await waitForAnswers(answered.length + 30);
    fx.suite.processes.get('ipam-1')!.signal('SIGKILL');
    await waitForAnswers(answered.length + 30);
    stop = true;
    await Promise.all(clients);

    const listed = (await fx.api('GET', `/v2.0/ports?network_id=${net.id}`)).body.ports as Array<{ id: string; fixed_ips: Array<{ ip_address: string }> }>;
    const ids = new Set(listed.map((p) => p.id));
    for (const a of answered) expect(ids.has(a.id)).toBe(true);
    const ips = listed.map((p) => p.fixed_ips[0].ip_address);
    expect(new Set(ips).size).toBe(ips.length);
    expect(answered.length).toBeGreaterThanOrEqual(90);
  });
});
