import type { Actor } from '../actor';
import { deciderSpec } from '../decider-spec';
import { floatingIpDecider, type FloatingIpEvent } from '../floatingip/decider';
import type { FloatingIp, Port, Router, Subnet } from '../model';
import { presentFloatingIp } from '../floatingip/present';
import { presentPortForwarding } from './present';

/** Port forwardings on the floating IP's decider: the rules of Zed's pf_plugin, with plain data. */
const spec = deciderSpec(floatingIpDecider);
const alice: Actor = { user_id: 'u', project_id: 'alice', roles: ['member'] } as Actor;
const bob: Actor = { user_id: 'v', project_id: 'bob', roles: ['member'] } as Actor;
const at = '2026-01-01T00:00:00Z';
const stamps = { created_at: at, updated_at: at, revision_number: 0 };
const subnet = (id: string, network_id: string, cidr: string, gateway_ip: string | null): Subnet => ({ id, network_id, cidr, gateway_ip, ip_version: 4 }) as Subnet;
const port = (id: string, network_id: string, fixed: Array<[string, string]>, extra: Partial<Port> = {}): Port =>
  ({ id, network_id, project_id: 'alice', tenant_id: 'alice', fixed_ips: fixed.map(([subnet_id, ip_address]) => ({ subnet_id, ip_address })), device_owner: '', device_id: '', ...extra }) as Port;
const SUB = subnet('sub-a', 'net-a', '10.0.0.0/24', '10.0.0.1');
const SUB_B = subnet('sub-b', 'net-b', '10.1.0.0/24', '10.1.0.1');
const VM_ID = '11111111-1111-4111-8111-111111111111';
const VM = port(VM_ID, 'net-a', [['sub-a', '10.0.0.10']]);
const FAR = port('22222222-2222-4222-8222-222222222222', 'net-b', [['sub-b', '10.1.0.10']]);
const IFACE = port('qr', 'net-a', [['sub-a', '10.0.0.1']], { device_owner: 'network:router_interface', device_id: 'r1' });
const R1 = { id: 'r1', external_gateway_info: { network_id: 'ext', enable_snat: true, external_fixed_ips: [] } } as unknown as Router;
const fipOf = (id: string, extra: Partial<FloatingIp> = {}): FloatingIp => ({
  id, description: '', tenant_id: 'alice', project_id: 'alice', floating_network_id: 'ext', floating_ip_address: `203.0.113.${id.length}`,
  port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN', tags: [], ...stamps, ...extra,
});
const F = fipOf('f1');
const facts = (floatingIps: FloatingIp[]) => ({
  association: {
    port: (id: string) => [VM, FAR, IFACE].find((p) => p.id === id),
    subnet: (id: string) => [SUB, SUB_B].find((s) => s.id === id),
    routers: [R1],
    interfacesOf: (id: string) => (id === 'r1' ? [IFACE] : []),
    floatingIps,
  },
});
const created = (f: FloatingIp): FloatingIpEvent => ({ type: 'floatingip.created', data: { floatingip: f } });
const body = (pf: Record<string, unknown>) => ({ port_forwarding: { protocol: 'tcp', internal_ip_address: '10.0.0.10', internal_port_id: '11111111-1111-4111-8111-111111111111', ...pf } });
const createPf = (pf: Record<string, unknown>, id = 'pf-new', actor = alice) => ({ type: 'CreatePortForwarding' as const, floatingip_id: 'f1', body: body(pf), actor, id });
const ssh = { id: 'pf-ssh', floatingip_id: 'f1', project_id: 'alice', protocol: 'tcp', internal_port_id: '11111111-1111-4111-8111-111111111111', internal_ip_address: '10.0.0.10', internal_port_range: '22:22', external_port_range: '2222:2222', description: '' };
const withSsh: FloatingIp = { ...F, router_id: 'r1', port_forwardings: [ssh] };
const bad = (message: string) => ({ status: 400, type: 'BadRequest', message: `Bad port_forwarding request: ${message}.` });

describe('port forwarding decider: given / when / then', () => {
  it('creates one: the floating IP takes the router that reaches the internal port', () => {
    spec.given([created(F)], facts([F])).when(createPf({ internal_port: 22, external_port: 2222 }, 'pf-ssh')).then([
      { type: 'floatingip.port_forwarding_created', data: { floatingip_id: 'f1', port_forwarding: ssh, router_id: 'r1' } },
    ]);
  });

  it('refuses a colliding external range of the same protocol on the floating IP, not one of another protocol', () => {
    const given = spec.given([created(F), { type: 'floatingip.port_forwarding_created', data: { floatingip_id: 'f1', port_forwarding: ssh, router_id: 'r1' } }], facts([withSsh]));
    given.when(createPf({ internal_port: 23, external_port_range: '2220:2230' })).then(
      bad('There is a port collision with the external_port_range. The following ranges collides: 2222:2222 and 2220:2230'),
    );
    given.when(createPf({ protocol: 'udp', internal_port: 22, external_port: 2222 })).then([
      { type: 'floatingip.port_forwarding_created', data: { floatingip_id: 'f1', port_forwarding: { ...ssh, id: 'pf-new', protocol: 'udp' }, router_id: 'r1' } },
    ]);
  });

  it('refuses the same internal address and port on another floating IP', () => {
    const f2 = fipOf('f-two');
    spec.given([created(f2)], facts([withSsh, f2])).when({ ...createPf({ internal_port: 22, external_port: 22 }), floatingip_id: 'f-two' }).then(
      bad('There is a port collision with the internal_port_range. The following ranges collides: 22:22 and 22:22'),
    );
  });

  it('refuses ranges that are not N-N or 1-N, and a request without an external port', () => {
    const given = spec.given([created(F)], facts([F]));
    given.when(createPf({ internal_port_range: '100:110', external_port_range: '1200:1205' })).then(
      bad('Invalid ranges of internal and/or external ports. The relation between internal and external ports must be N-N or 1-N'),
    );
    given.when(createPf({ internal_port: 22 })).then(bad('external_port or external_port_range must be specified'));
    given.when(createPf({ internal_port: 300, external_port_range: '1300:1305' })).then([
      { type: 'floatingip.port_forwarding_created', data: { floatingip_id: 'f1', port_forwarding: { ...ssh, id: 'pf-new', internal_port_range: '300:300', external_port_range: '1300:1305' }, router_id: 'r1' } },
    ]);
  });

  it('refuses an internal port the floating IP\'s network is not reachable from, and an address not on the port', () => {
    const given = spec.given([created(F)], facts([F]));
    given.when(createPf({ internal_port_id: '22222222-2222-4222-8222-222222222222', internal_ip_address: '10.1.0.10', internal_port: 22, external_port: 2222 })).then(
      bad('External network ext is not reachable from subnet sub-b. Cannot set Port forwarding for port 22222222-2222-4222-8222-222222222222 with Floating IP f1'),
    );
    given.when(createPf({ internal_ip_address: '10.0.0.99', internal_port: 22, external_port: 2222 })).then(
      bad("Requested internal IP address 10.0.0.99 is not suitable for internal neutron port 11111111-1111-4111-8111-111111111111, as its fixed_ips are [{'subnet_id': 'sub-a', 'ip_address': '10.0.0.10'}]"),
    );
  });

  it('refuses an internal port with a floating IP of its own, and an associated floating IP', () => {
    const bound = fipOf('f-bound', { port_id: '11111111-1111-4111-8111-111111111111', fixed_ip_address: '10.0.0.10', router_id: 'r1' });
    spec.given([created(F)], facts([F, bound])).when(createPf({ internal_port: 22, external_port: 2222 })).then({ status: 409, type: 'PortHasBindingFloatingIP' });
    const assoc = { ...F, port_id: '22222222-2222-4222-8222-222222222222', fixed_ip_address: '10.1.0.10' };
    spec.given([created(assoc)], facts([assoc])).when(createPf({ internal_port: 22, external_port: 2222 })).then({ status: 409, type: 'FloatingIPPortAlreadyAssociated' });
  });

  it('another project\'s floating IP is not found', () => {
    spec.given([created(F)], facts([F])).when(createPf({ internal_port: 22, external_port: 2222 }, 'x', bob)).then({ status: 404, type: 'FloatingIPNotFound', message: 'Floating IP f1 could not be found' });
  });

  it('a floating IP with forwardings is not associated with a port, and keeps its router on a disassociation', () => {
    const given = spec.given([created(withSsh)], facts([withSsh]));
    given.when({ type: 'UpdateFloatingIp', body: { floatingip: { port_id: '11111111-1111-4111-8111-111111111111' } }, actor: alice }).then({ status: 409, type: 'FipInUseByPortForwarding', message: 'Floating IP f1 in use by Port Forwarding resources.' });
    given.when({ type: 'UpdateFloatingIp', body: { floatingip: { port_id: null } }, actor: alice }).then([{ type: 'floatingip.updated', data: { changes: {} } }]);
  });

  it('updates replace the ranges they name and check twins; a delete of the last one clears the router', () => {
    const given = spec.given([created(withSsh)], facts([withSsh]));
    given.when({ type: 'UpdatePortForwarding', floatingip_id: 'f1', id: 'pf-ssh', body: { port_forwarding: { external_port: 2200 } }, actor: alice }).then([
      { type: 'floatingip.port_forwarding_updated', data: { floatingip_id: 'f1', port_forwarding_id: 'pf-ssh', changes: { external_port_range: '2200:2200' } } },
    ]);
    given.when({ type: 'UpdatePortForwarding', floatingip_id: 'f1', id: 'nope', body: { port_forwarding: { external_port: 2200 } }, actor: alice }).then({ status: 404, type: 'PortForwardingNotFound' });
    given.when({ type: 'DeletePortForwarding', floatingip_id: 'f1', id: 'pf-ssh', actor: alice }).then([
      { type: 'floatingip.port_forwarding_deleted', data: { floatingip_id: 'f1', port_forwarding_ids: ['pf-ssh'], router_id: null } },
    ]);
  });

  it('a deleted internal port (or address) takes its forwardings; other ports\' stay', () => {
    const given = spec.given([created(withSsh)], facts([withSsh]));
    given.when({ type: 'RemovePortForwardingsOfPort', port_id: '11111111-1111-4111-8111-111111111111' }).then([
      { type: 'floatingip.port_forwarding_deleted', data: { floatingip_id: 'f1', port_forwarding_ids: ['pf-ssh'], router_id: null } },
    ]);
    given.when({ type: 'RemovePortForwardingsOfPort', port_id: '11111111-1111-4111-8111-111111111111', keep_ips: ['10.0.0.10'] }).then([]);
    given.when({ type: 'RemovePortForwardingsOfPort', port_id: '22222222-2222-4222-8222-222222222222' }).then([]);
  });

  it('the claim on the internal port: refused once the port has a floating IP; after a lost try the other forwardings count too', () => {
    const other = fipOf('f-two', { router_id: 'r1', port_forwardings: [{ ...ssh, id: 'pf-other', floatingip_id: 'f-two', external_port_range: '22:22' }] });
    const given = spec.given([created(withSsh)], facts([withSsh, other]));
    const claimed = { type: 'port.forwarding_claimed' as const, data: { port_id: VM_ID, floatingip_id: 'f1', port_forwarding_id: 'pf-ssh', internal_ip_address: '10.0.0.10' } };
    given.when({ type: 'ClaimForwardedPort', port_forwarding_id: 'pf-ssh', recheck: false }).then([claimed]);
    given.when({ type: 'ClaimForwardedPort', port_forwarding_id: 'pf-ssh', recheck: true }).then(
      bad('There is a port collision with the internal_port_range. The following ranges collides: 22:22 and 22:22'),
    );
    const bound = fipOf('f-bound', { port_id: VM_ID, fixed_ip_address: '10.0.0.10', router_id: 'r1' });
    spec.given([created(withSsh)], facts([withSsh, bound])).when({ type: 'ClaimForwardedPort', port_forwarding_id: 'pf-ssh', recheck: false }).then({ status: 409, type: 'PortHasBindingFloatingIP' });
    // refused: taken back (deleted, the last one with the router) or restored as it was
    given.when({ type: 'RestorePortForwarding', port_forwarding_id: 'pf-ssh' }).then([
      { type: 'floatingip.port_forwarding_deleted', data: { floatingip_id: 'f1', port_forwarding_ids: ['pf-ssh'], router_id: null } },
    ]);
    given.when({ type: 'RestorePortForwarding', port_forwarding_id: 'pf-ssh', to: { ...ssh, internal_port_range: '23:23' } }).then([
      { type: 'floatingip.port_forwarding_updated', data: { floatingip_id: 'f1', port_forwarding_id: 'pf-ssh', changes: { internal_port_range: '23:23' } } },
    ]);
  });

  it('evolves: every forwarding change bumps the floating IP\'s revision (Zed counts them), the floating IP shows them', () => {
    const state = spec.given([
      created(F),
      { type: 'floatingip.port_forwarding_created', data: { floatingip_id: 'f1', port_forwarding: ssh, router_id: 'r1' } },
      { type: 'floatingip.port_forwarding_updated', data: { floatingip_id: 'f1', port_forwarding_id: 'pf-ssh', changes: { description: 'x' } } },
    ]).state;
    expect(state.floatingip).toMatchObject({ router_id: 'r1', revision_number: 2 });
    expect(presentFloatingIp(state.floatingip!, alice).port_forwardings).toEqual([{ id: 'pf-ssh', protocol: 'tcp', internal_ip_address: '10.0.0.10', internal_port_id: '11111111-1111-4111-8111-111111111111', internal_port: 22, external_port: 2222 }]);
    expect(presentPortForwarding({ ...ssh, external_port_range: '1:10', internal_port_range: '11:20' })).not.toHaveProperty('external_port');
    expect(presentPortForwarding({ ...ssh, external_port_range: '1:10', internal_port_range: '11:20' }, true)).toMatchObject({ external_port: null, internal_port: null });
  });
});
