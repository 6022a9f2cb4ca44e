import zed from '../__fixtures__/zed-subnet.json';
import { ZedCase, ZedFile, actorOf, isError, networksOf, subnetsOf, thrown, toSubnet, zedError } from '../__fixtures__/zed';
import { defaultDomainConfig } from '../config';
import { validateSubnetUpdate } from './validate-update';

const file = zed as unknown as ZedFile;
const cfg = defaultDomainConfig;
const networks = networksOf(file);
const updates = Object.entries(file.cases).filter(([, c]) => c.request.method === 'PUT');

function ctxFor(c: ZedCase) {
  const current = toSubnet(c.before!);
  const network = networks.find((n) => n.id === current.network_id)!;
  const siblings = subnetsOf(file).filter((s) => s.network_id === network.id && s.id !== current.id);
  // The router interface holding the gateway is the port Zed names (added between cases by the recorder).
  const held = /in use by port (\S+)\./.exec(c.response.body?.NeutronError?.message ?? '');
  return { network, siblings, allocatedIps: ['10.21.0.200'], ...(held ? { gatewayPortId: held[1] } : {}) };
}
const update = (c: ZedCase) => validateSubnetUpdate(c.request.body, toSubnet(c.before!), actorOf(c), ctxFor(c), cfg);

describe('validateSubnetUpdate against Zed', () => {
  it.each(updates.filter(([, c]) => isError(c)))('%s → Zed error', (_name, c) => {
    expect(thrown(() => update(c))).toEqual(zedError(c));
  });

  it.each(updates.filter(([, c]) => !isError(c)))('%s → what Zed changed', (_name, c) => {
    const before = c.before!;
    const after = c.response.body.subnet;
    const expected = Object.fromEntries(
      ['name', 'description', 'enable_dhcp', 'gateway_ip', 'allocation_pools', 'dns_nameservers', 'host_routes']
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
        .map((k) => [k, after[k]]),
    );
    expect(update(c)).toEqual(expected);
  });
});

describe('subnet updates', () => {
  const subU = toSubnet(file.setup.subU);
  const network = networks.find((n) => n.id === subU.network_id)!;
  const ctx = { network, siblings: [], allocatedIps: [] };
  const actor = { user_id: null, project_id: subU.tenant_id, roles: ['member'] };

  it('a gateway held by a router port may stay where it is', () => {
    const held = { ...ctx, gatewayPortId: 'b9a3e4a4-7a54-4a4c-9a2c-1f6f1f0d0002' };
    expect(validateSubnetUpdate({ subnet: { gateway_ip: subU.gateway_ip, name: 'x' } }, subU, actor, held, cfg)).toEqual({ name: 'x' });
  });
  it('new pools are given in address order', () => {
    const body = { subnet: { allocation_pools: [{ start: '10.21.0.100', end: '10.21.0.110' }, { start: '10.21.0.10', end: '10.21.0.20' }] } };
    expect(validateSubnetUpdate(body, subU, actor, ctx, cfg).allocation_pools).toEqual([
      { start: '10.21.0.10', end: '10.21.0.20' },
      { start: '10.21.0.100', end: '10.21.0.110' },
    ]);
  });
  it('IPv6 subnets with address modes keep DHCP', () => {
    const v6 = toSubnet(file.setup.sub6);
    const net1 = networks.find((n) => n.id === v6.network_id)!;
    expect(thrown(() => validateSubnetUpdate({ subnet: { enable_dhcp: false } }, v6, actor, { ...ctx, network: net1 }, cfg))).toEqual({
      status: 400, type: 'InvalidInput', message: 'Invalid input for operation: Cannot disable enable_dhcp with ipv6 attributes set.',
    });
  });
});
