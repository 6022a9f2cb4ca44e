import zed from '../__fixtures__/zed-subnet.json';
import { ACTORS, ZedCase, ZedFile, actorOf, isError, networksOf, subnetsOf, thrown, zedError } from '../__fixtures__/zed';
import { defaultDomainConfig } from '../config';
import { validateSubnetCreate } from './validate-create';

const file = zed as unknown as ZedFile;
const cfg = defaultDomainConfig;
const networks = networksOf(file);
const subnets = subnetsOf(file);
const creates = Object.entries(file.cases).filter(([, c]) => c.request.method === 'POST');
const ids = { id: 'b9a3e4a4-7a54-4a4c-9a2c-1f6f1f0d0001', now: '2026-11-23T04:30:00Z' };

/** What the gateway looks up: the network the body names, and its subnets. */
function ctxFor(c: ZedCase) {
  const networkId = (c.request.body as any)?.subnet?.network_id;
  return { network: networks.find((n) => n.id === networkId), siblings: subnets.filter((s) => s.network_id === networkId) };
}
const create = (c: ZedCase) => validateSubnetCreate(c.request.body, actorOf(c), ctxFor(c), cfg, ids);

describe('validateSubnetCreate against Zed', () => {
  it.each(creates.filter(([, c]) => isError(c)))('%s → Zed error', (_name, c) => {
    expect(thrown(() => create(c))).toEqual(zedError(c));
  });

  it.each(creates.filter(([, c]) => !isError(c)))('%s → the subnet Zed created', (_name, c) => {
    const s = create(c);
    const z = c.response.body.subnet;
    for (const key of ['name', 'description', 'tenant_id', 'project_id', 'network_id', 'ip_version', 'cidr', 'gateway_ip',
      'allocation_pools', 'dns_nameservers', 'host_routes', 'enable_dhcp', 'ipv6_ra_mode', 'ipv6_address_mode',
      'subnetpool_id', 'tags', 'revision_number'] as const)
      expect([key, s[key]]).toEqual([key, z[key]]);
  });
});

describe('subnet defaults', () => {
  const net = networks.find((n) => n.name === 'dom-fx-empty')!;
  const make = (body: Record<string, unknown>) =>
    validateSubnetCreate({ subnet: { network_id: net.id, ip_version: 4, ...body } }, ACTORS.p1, { network: net, siblings: [] }, cfg, ids);

  it('a /28 gets gateway .1 and the pool .2–.14', () => {
    const s = make({ cidr: '192.168.7.0/28' });
    expect([s.gateway_ip, s.allocation_pools]).toEqual(['192.168.7.1', [{ start: '192.168.7.2', end: '192.168.7.14' }]]);
  });
  it('a gateway in the middle splits the pool', () => {
    const s = make({ cidr: '192.168.7.0/24', gateway_ip: '192.168.7.100' });
    expect(s.allocation_pools).toEqual([
      { start: '192.168.7.1', end: '192.168.7.99' },
      { start: '192.168.7.101', end: '192.168.7.254' },
    ]);
  });
  it('a /31 without gateway uses both addresses', () => {
    expect(make({ cidr: '192.168.7.0/31', gateway_ip: null, enable_dhcp: false }).allocation_pools).toEqual([
      { start: '192.168.7.0', end: '192.168.7.1' },
    ]);
  });
  it('a /32 is one address, and its default gateway lies outside it (as in Zed)', () => {
    const s = make({ cidr: '192.168.7.9/32', enable_dhcp: false });
    expect([s.cidr, s.gateway_ip, s.allocation_pools]).toEqual(['192.168.7.9/32', '192.168.7.10', [{ start: '192.168.7.9', end: '192.168.7.9' }]]);
  });
  it('an IPv6 /64 keeps the subnet-router anycast address as gateway and pools the rest', () => {
    const s = validateSubnetCreate(
      { subnet: { network_id: net.id, ip_version: 6, cidr: 'fd00:1::/64' } }, ACTORS.p1, { network: net, siblings: [] }, cfg, ids,
    );
    expect([s.gateway_ip, s.allocation_pools]).toEqual(['fd00:1::', [{ start: 'fd00:1::1', end: 'fd00:1::ffff:ffff:ffff:ffff' }]]);
  });
  it('the configured limits apply', () => {
    const two = { ...cfg, maxDnsNameservers: 1 };
    const body = { subnet: { network_id: net.id, ip_version: 4, cidr: '192.168.7.0/24', dns_nameservers: ['1.1.1.1', '1.1.1.2'] } };
    expect(thrown(() => validateSubnetCreate(body, ACTORS.p1, { network: net, siblings: [] }, two, ids))).toEqual({
      status: 400, type: 'DNSNameServersExhausted',
      message: 'Unable to complete operation for new subnet. The number of DNS nameservers exceeds the limit 1.',
    });
  });
  it('overlap is only checked within the network', () => {
    const other = subnets.find((s) => s.cidr === '10.30.0.0/24')!; // on another network
    const s = validateSubnetCreate(
      { subnet: { network_id: net.id, ip_version: 4, cidr: '10.30.0.0/24' } }, ACTORS.p1, { network: net, siblings: [] }, cfg, ids,
    );
    expect([other.network_id !== net.id, s.cidr]).toEqual([true, '10.30.0.0/24']);
  });
});
