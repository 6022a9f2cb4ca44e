import { SuiteFixture } from '@neutrino/testing-suite';

/** Done-when 1: two ipam replicas never hand out one address twice. */
describe('concurrent port creation with two ipam replicas', () => {
  let fx: SuiteFixture;
  beforeAll(async () => {
    fx = await SuiteFixture.start({ ipamReplicas: 2 });
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('40 parallel creates on a /28: 13 distinct addresses, 27 IpAddressGenerationFailure, 13 allocations in the log', async () => {
    const net = await fx.api('POST', '/v2.0/networks', { network: { name: 'race' } });
    expect(net.status).toBe(201);
    const subnet = await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.body.network.id, cidr: '10.9.0.0/28', ip_version: 4 } });
    expect(subnet.status).toBe(201);
    const subnetId = subnet.body.subnet.id;

    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => fx.api('POST', '/v2.0/ports', { port: { network_id: net.body.network.id, name: `p${i}` } })),
    );
    const ok = answers.filter((a) => a.status === 201);
    const failed = answers.filter((a) => a.status !== 201);
    expect(ok).toHaveLength(13);
    expect(failed).toHaveLength(27);
    for (const f of failed) {
      expect(f.status).toBe(409);
      expect(f.body.NeutronError.type).toBe('IpAddressGenerationFailure');
    }
    const ips = ok.map((a) => a.body.port.fixed_ips[0].ip_address);
    expect(new Set(ips).size).toBe(13);
    expect(ips.every((ip) => /^10\.9\.0\.(\d+)$/.test(ip) && +ip.split('.')[3] >= 2 && +ip.split('.')[3] <= 14)).toBe(true);
    const macs = ok.map((a) => a.body.port.mac_address);
    expect(new Set(macs).size).toBe(13);
    expect(macs.every((m) => m.startsWith('fa:16:3e:'))).toBe(true);

    const events = await fx.store.readSubject(`evt.ipam.${subnetId}`);
    expect(events.filter((e) => e.type === 'ip.allocated')).toHaveLength(13);
    expect(events.filter((e) => e.type === 'ip.released')).toHaveLength(0);

    const listed = await fx.api('GET', `/v2.0/ports?network_id=${net.body.network.id}`);
    expect(listed.body.ports).toHaveLength(13);

    // A released address is handed out again.
    const victim = ok.find((a) => a.body.port.fixed_ips[0].ip_address === '10.9.0.7')!;
    expect((await fx.api('DELETE', `/v2.0/ports/${victim.body.port.id}`)).status).toBe(204);
    const again = await fx.api('POST', '/v2.0/ports', { port: { network_id: net.body.network.id } });
    expect(again.status).toBe(201);
    expect(again.body.port.fixed_ips[0].ip_address).toBe('10.9.0.7');
  });
});
