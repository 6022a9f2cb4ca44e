import { thrown } from '../__fixtures__/zed';
import { L3, S, l3Actor, l3Case, l3Error, network, ports, subnets, subnetsOf, toRouter, withoutOmittedL3 } from '../__fixtures__/zed-l3';
import { buildRouter } from './build';
import { gatewayInUseByFloatingIp, interfaceInUseByFloatingIp, routerInUse, routerInterfaceNotFound, routerInterfaceNotFoundForSubnet, routerNotFound, servicePortInUse } from './errors';
import { evolveRouter } from './evolve';
import { gatewayInfo } from './gateway';
import { checkInterfacePort, checkInterfaceSubnet, checkNewSubnets, checkRemoveSubnet, interfaceInfo, parseInterfaceBody } from './interfaces';
import { presentRouter } from './present';
import { validateRouterCreate } from './validate-create';
import { validateRouterUpdate } from './validate-update';

const nets = { network, subnetsOf };
const create = (name: string) => {
  const c = l3Case(name);
  return validateRouterCreate(c.request.body, l3Actor(c), nets);
};
const r1 = toRouter(S.r1);
const subnetPort = ports.find((p) => p.id === S.ifSubnetPort.id)!;
const ifPort = { ...ports.find((p) => p.id === S.ifport.id)!, device_id: r1.id, device_owner: 'network:router_interface' };
const interfaces = [subnetPort, ifPort];
const subnet = (id: string) => subnets.find((s) => s.id === id);
const addresses = { fixedIps: interfaces.flatMap((p) => p.fixed_ips), subnets: interfaces.flatMap((p) => p.fixed_ips.map((f) => subnet(f.subnet_id)!)) };
const update = (name: string, current = r1) => {
  const c = l3Case(name);
  return validateRouterUpdate(c.request.body, current, l3Actor(c), { ...nets, addresses });
};

describe('validateRouterCreate against Zed', () => {
  it.each([
    'create-not-allowed-routes', 'create-not-allowed-status', 'create-unknown', 'create-bad-admin-state', 'create-gw-unexpected-key',
    'create-gw-no-network', 'create-gw-snat-member', 'create-gw-ips-member', 'create-ha-member', 'create-distributed-member',
    'create-gw-not-external', 'create-gw-missing-network', 'create-name-long',
  ])('%s → Zed error', (name) => expect(thrown(() => create(name))).toEqual(l3Error(l3Case(name))));

  it.each(['create', 'create-with-gateway', 'create-admin-gw-snat-ip', 'create-admin-gw-no-subnet'])('%s → the router Zed shows', (name) => {
    const c = l3Case(name);
    const z = c.response.body.router;
    const attrs = create(name);
    const gw = attrs.gateway && gatewayInfo(attrs.gateway, z.external_gateway_info.external_fixed_ips);
    const router = buildRouter(attrs, { id: z.id, now: z.created_at }, gw);
    // Zed counts the gateway port's creation as two more revisions; Neutrino's router is one event.
    expect({ ...presentRouter(router, l3Actor(c)), revision_number: z.revision_number }).toEqual(withoutOmittedL3(z));
  });

  it('the gateway asks for the address given, else one from the IPv4 subnet', () => {
    expect(create('create-admin-gw-snat-ip').gateway).toEqual({ network_id: S.ext.id, enable_snat: false, ips: [{ subnet_id: S.extSub.id, ip_address: '203.0.113.9' }], fixedIpsGiven: true });
    expect(create('create-with-gateway').gateway?.ips).toEqual([{ subnet_id: S.extSub.id }]);
    expect(thrown(() => create('create-admin-gw-ip-outside'))).toEqual(l3Error(l3Case('create-admin-gw-ip-outside')));
  });

  it('members see no ha/distributed; admins do', () => {
    expect(presentRouter(r1, l3Actor(l3Case('show-member')))).toEqual(withoutOmittedL3(l3Case('show-member').response.body.router));
    expect(presentRouter(r1, l3Actor(l3Case('show-admin')))).toEqual(withoutOmittedL3(l3Case('show-admin').response.body.router));
  });
});

describe('validateRouterUpdate against Zed', () => {
  it.each([
    'routes-not-connected', 'routes-nexthop-is-router', 'routes-bad-cidr', 'routes-bad-nexthop', 'routes-missing-key', 'routes-not-list',
    'routes-too-many', 'update-ha-member', 'update-distributed-admin', 'update-gw-not-external', 'update-gw-ips-member', 'update-read-only',
  ])('%s → Zed error', (name) => expect(thrown(() => update(name))).toEqual(l3Error(l3Case(name))));

  it.each(['routes-set', 'update-name'])('%s → the router Zed shows after', (name) => {
    const z = l3Case(name).response.body.router;
    const before = { ...r1, name: name === 'update-name' ? S.r1.name : r1.name };
    const { changes } = update(name, before);
    const after = evolveRouter({ ...before, revision_number: z.revision_number - 1 }, { type: 'router.updated', at: z.updated_at, data: { changes } })!;
    expect(presentRouter(after, l3Actor(l3Case(name)))).toEqual(withoutOmittedL3(z));
  });

  it('update-gateway asks for the external network', () => {
    expect(update('update-gateway').gateway).toEqual({ network_id: S.ext.id, enable_snat: true, ips: [{ subnet_id: S.extSub.id }], fixedIpsGiven: false });
  });
});

describe('router interfaces against Zed', () => {
  it.each(['add-nothing', 'add-both', 'add-bad-uuid'])('%s → Zed error', (name) => {
    expect(thrown(() => parseInterfaceBody(l3Case(name).request.body))).toEqual(l3Error(l3Case(name)));
  });
  it('a subnet already on the router, or overlapping one', () => {
    for (const [name, id] of [['add-subnet-again', S.sub.id], ['add-overlap', S.overlap.id], ['add-port-same-subnet', S.sub.id]] as const) {
      expect(thrown(() => checkNewSubnets([subnetPort], subnet, [subnet(id)!]))).toEqual(l3Error(l3Case(name)));
    }
  });
  it('a subnet without a gateway', () => expect(thrown(() => checkInterfaceSubnet(subnet(S.nogw.id)!))).toEqual(l3Error(l3Case('add-no-gateway'))));
  it('a port in use or without addresses', () => {
    expect(thrown(() => checkInterfacePort(ports.find((p) => p.id === S.attached.id)!))).toEqual(l3Error(l3Case('add-port-in-use')));
    expect(thrown(() => checkInterfacePort(ports.find((p) => p.id === S.noip.id)!))).toEqual(l3Error(l3Case('add-port-no-ip')));
  });
  it('the answer of add/remove', () => {
    expect(interfaceInfo(r1, subnetPort)).toEqual(l3Case('add-subnet').response.body);
    expect(interfaceInfo(r1, ifPort)).toEqual(l3Case('add-port').response.body);
  });
  it('removing an interface that a route needs', () => {
    const routed = { ...r1, routes: [{ destination: '10.50.0.0/24', nexthop: '10.70.0.5' }] };
    expect(thrown(() => checkRemoveSubnet(routed, subnet(S.sub.id)!))).toEqual(l3Error(l3Case('remove-used-by-route')));
  });
});

describe('errors raised from state, message for message', () => {
  const cases: Array<[string, () => Error]> = [
    ['delete-in-use', () => routerInUse(r1.id, [S.ifport.id, S.ifSubnetPort.id].sort())],
    ['gateway-clear-in-use', () => gatewayInUseByFloatingIp(r1.id, S.ext.id)],
    ['remove-used-by-fip', () => interfaceInUseByFloatingIp(r1.id, S.sub.id)],
    ['interface-port-delete', () => servicePortInUse(S.ifSubnetPort.id, 'network:router_interface')],
    ['fip-port-delete', () => servicePortInUse(S.fipPort.id, 'network:floatingip')],
    ['delete-again', () => routerNotFound(r1.id)],
    ['remove-port-not-interface', () => routerInterfaceNotFound(r1.id, S.owned.id)],
    ['remove-subnet', () => routerInterfaceNotFoundForSubnet(r1.id, S.sub.id)],
  ];
  it.each(cases)('%s', (name, make) => expect(thrown(() => { throw make(); })).toEqual(l3Error(l3Case(name))));
  it('covers the recorded file', () => expect(Object.keys(L3.cases).length).toBeGreaterThan(100));
});
