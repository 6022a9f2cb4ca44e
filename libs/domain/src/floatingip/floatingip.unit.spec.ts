import { thrown } from '../__fixtures__/zed';
import { S, l3Actor, l3Case, l3Error, network, ports, subnets, subnetsOf, toFloatingIp, toRouter, withoutOmittedL3 } from '../__fixtures__/zed-l3';
import { decideAssociation, type AssociationContext } from './association';
import { buildFloatingIp } from './build';
import { floatingIpNotFound } from './errors';
import { presentFloatingIp } from './present';
import { validateFloatingIpCreate, validateFloatingIpUpdate } from './validate';

const create = (name: string) => {
  const c = l3Case(name);
  return validateFloatingIpCreate(c.request.body, l3Actor(c), { network, subnetsOf });
};
const r1 = { ...toRouter(S.r1), external_gateway_info: { network_id: S.ext.id, enable_snat: true, external_fixed_ips: [] } };
const subnetPort = ports.find((p) => p.id === S.ifSubnetPort.id)!;
const f1 = toFloatingIp(S.f1);
const ctx = (floatingIps = [f1]): AssociationContext => ({
  port: (id) => ports.find((p) => p.id === id),
  subnet: (id) => subnets.find((s) => s.id === id),
  routers: [r1],
  interfacesOf: (id) => (id === r1.id ? [subnetPort] : []),
  floatingIps,
});
const newFip = (c: ReturnType<typeof l3Case>) => ({
  id: 'new', floating_ip_address: '203.0.113.1', floating_network_id: c.request.body.floatingip.floating_network_id ?? S.ext.id, project_id: l3Actor(c).project_id, port_id: null,
});

describe('validateFloatingIpCreate against Zed', () => {
  it.each(['fip-no-network', 'fip-not-external', 'fip-missing-network', 'fip-address-member', 'fip-no-subnet'])('%s → Zed error', (name) => {
    expect(thrown(() => create(name))).toEqual(l3Error(l3Case(name)));
  });
  it.each(['fip-create', 'fip-create-admin-address', 'fip-create-associated'])('%s → the floating IP Zed shows', (name) => {
    const c = l3Case(name);
    const z = c.response.body.floatingip;
    const attrs = create(name);
    const f = buildFloatingIp(attrs, { id: z.id, now: z.created_at, address: z.floating_ip_address }, { port_id: z.port_id, fixed_ip_address: z.fixed_ip_address, router_id: z.router_id });
    const port = z.port_id ? { ...ports.find((p) => p.id === z.port_id)!, status: z.port_details.status } : undefined;
    expect(presentFloatingIp(f, l3Actor(c), port)).toEqual(withoutOmittedL3(z));
  });
});

describe('decideAssociation against Zed', () => {
  it.each(['fip-multi-ipv4', 'fip-fixed-not-on-port', 'fip-missing-port', 'fip-unreachable'])('%s → Zed error', (name) => {
    const c = l3Case(name);
    expect(thrown(() => decideAssociation(newFip(c), c.request.body.floatingip, l3Actor(c), ctx([])))).toEqual(l3Error(c));
  });
  it('one floating IP per fixed IP per external network', () => {
    const c = l3Case('fip-already-associated');
    const address = c.response.body.NeutronError.message.split(' ')[4];
    const id = /\(([^)]+)\)/.exec(c.response.body.NeutronError.message)![1];
    const fip = { ...newFip(c), id, floating_ip_address: address };
    expect(thrown(() => decideAssociation(fip, c.request.body.floatingip, l3Actor(c), ctx()))).toEqual(l3Error(c));
    const t = l3Case('fip-associate-taken');
    const f3 = { ...toFloatingIp(S.f3), port_id: S.port.id, fixed_ip_address: S.port.fixed_ips[0].ip_address };
    expect(thrown(() => decideAssociation(f1, t.request.body.floatingip, l3Actor(t), ctx([f1, f3])))).toEqual(l3Error(t));
  });
  it('fixed_ip_address needs a port', () => {
    const c = l3Case('fip-fixed-without-port');
    expect(thrown(() => decideAssociation(f1, c.request.body.floatingip, l3Actor(c), ctx()))).toEqual(l3Error(c));
  });
  it('finds the router Zed found', () => {
    const c = l3Case('fip-create-associated');
    const z = c.response.body.floatingip;
    expect(decideAssociation({ ...newFip(c), id: z.id }, c.request.body.floatingip, l3Actor(c), ctx([]))).toEqual({
      port_id: z.port_id, fixed_ip_address: z.fixed_ip_address, router_id: z.router_id,
    });
    const m = l3Case('fip-associate-fixed');
    const zm = m.response.body.floatingip;
    expect(decideAssociation(toFloatingIp(S.f3), m.request.body.floatingip, l3Actor(m), ctx([]))).toEqual({
      port_id: zm.port_id, fixed_ip_address: zm.fixed_ip_address, router_id: zm.router_id,
    });
  });
});

describe('validateFloatingIpUpdate against Zed', () => {
  it('floating_network_id is read-only', () => {
    const c = l3Case('fip-update-network');
    expect(thrown(() => validateFloatingIpUpdate(c.request.body, f1, l3Actor(c)))).toEqual(l3Error(c));
  });
  it('a missing floating IP', () => {
    const c = l3Case('fip-show-missing');
    expect(thrown(() => { throw floatingIpNotFound('11111111-2222-3333-4444-555555555555'); })).toEqual(l3Error(c));
  });
});
