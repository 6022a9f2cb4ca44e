import { deciderSpec } from '../decider-spec';
import { S, l3Actor, l3Case, l3Error, network, ports, subnets, subnetsOf, toFloatingIp, toRouter } from '../__fixtures__/zed-l3';
import { T, tempestCase } from '../__fixtures__/zed-tempest';
import { planInterfaceAdd, planInterfaceRemove, routerDecider, type RouterEvent } from './decider';
import { evolveRouter } from './evolve';
import type { InterfaceRequest } from './interfaces';

const spec = deciderSpec(routerDecider);
const nets = { network, subnetsOf };
const subnet = (id: string) => subnets.find((s) => s.id === id);
const r1 = toRouter(S.r1);
const created: RouterEvent = { type: 'router.created', data: { router: r1 } };
const subnetPort = ports.find((p) => p.id === S.ifSubnetPort.id)!;
const ifPort = { ...ports.find((p) => p.id === S.ifport.id)!, device_id: r1.id, device_owner: 'network:router_interface' };
const facts = { networks: nets, subnet, ports: [subnetPort, ifPort], floatingIps: [] };
const p1 = l3Actor(l3Case('delete-in-use'));
const admin = { user_id: null, project_id: 'dom-fx-adm', roles: ['admin'] };

describe('router decider: given / when / then', () => {
  it('creates a router without a gateway', () => {
    const [e] = spec.given([], facts).when({ type: 'CreateRouter', body: { router: { name: 'r' } }, actor: p1, id: 'r-new', now: '2026-01-01T00:00:00Z' }).then([
      {
        type: 'router.created',
        data: {
          router: {
            id: 'r-new', name: 'r', description: '', tenant_id: p1.project_id, project_id: p1.project_id, admin_state_up: true, status: 'ACTIVE',
            external_gateway_info: null, routes: [], distributed: false, ha: false, tags: [], created_at: '2026-01-01T00:00:00Z',
            updated_at: '2026-01-01T00:00:00Z', revision_number: 1,
          },
        },
      },
    ]);
    expect(e.type).toBe('router.created');
  });

  it('refuses to delete a router with interfaces (Zed delete-in-use)', () => {
    spec.given([created], facts).when({ type: 'DeleteRouter', actor: p1 }).then(l3Error(l3Case('delete-in-use')));
  });

  it('deletes it once the interfaces are gone', () => {
    spec.given([created], { ...facts, ports: [] }).when({ type: 'DeleteRouter', actor: p1 }).then([{ type: 'router.deleted', data: { router_id: r1.id } }]);
  });

  it('refuses to clear a gateway that floating IPs need (Zed gateway-clear-in-use)', () => {
    const c = l3Case('gateway-clear-in-use');
    const withGateway: RouterEvent = {
      type: 'router.updated',
      data: { changes: { external_gateway_info: { network_id: S.ext.id, enable_snat: true, external_fixed_ips: [{ subnet_id: S.extSub.id, ip_address: '203.0.113.5' }] } } },
    };
    const f1 = { ...toFloatingIp(S.f1), router_id: r1.id };
    spec.given([created, withGateway], { ...facts, floatingIps: [f1] }).when({ type: 'UpdateRouter', body: c.request.body, actor: l3Actor(c) }).then(l3Error(c));
    // with no floating IP on it, clearing is a router.updated
    spec.given([created, withGateway], facts).when({ type: 'UpdateRouter', body: c.request.body, actor: l3Actor(c) }).then([
      { type: 'router.updated', data: { changes: { external_gateway_info: null } } },
    ]);
  });

  describe('VPN services on the router (neutron-vpnaas callbacks, messages from its vpn_db.py / neutron_lib)', () => {
    const withGateway: RouterEvent = {
      type: 'router.updated',
      data: { changes: { external_gateway_info: { network_id: S.ext.id, enable_snat: true, external_fixed_ips: [{ subnet_id: S.extSub.id, ip_address: '203.0.113.5' }] } } },
    };
    const sid = subnetPort.fixed_ips[0].subnet_id;
    const vpn = { services: [{ id: 'svc-1', subnet_id: sid }], connections: [] };
    const clear = { router: { external_gateway_info: {} } };

    it('clearing the gateway is RouterInUse (409) while a service uses it; with none it clears', () => {
      spec.given([created, withGateway], { ...facts, vpn }).when({ type: 'UpdateRouter', body: clear, actor: p1 }).then({
        status: 409, type: 'RouterInUse', message: `Router ${r1.id} is currently used by VPN service (svc-1)`,
      });
      const two = { ...vpn, services: [...vpn.services, { id: 'svc-2', subnet_id: null }] };
      spec.given([created, withGateway], { ...facts, vpn: two }).when({ type: 'UpdateRouter', body: clear, actor: p1 }).then({
        status: 409, type: 'RouterInUse', message: `Router ${r1.id} is currently used by VPN services (svc-1,svc-2)`,
      });
      spec.given([created, withGateway], { ...facts, vpn: { services: [], connections: [] } }).when({ type: 'UpdateRouter', body: clear, actor: p1 }).then([
        { type: 'router.updated', data: { changes: { external_gateway_info: null } } },
      ]);
    });

    it('deleting the router: its interfaces are refused first (Zed\'s order), then the gateway the service uses', () => {
      spec.given([created, withGateway], { ...facts, vpn }).when({ type: 'DeleteRouter', actor: p1 }).then(l3Error(l3Case('delete-in-use')));
      spec.given([created, withGateway], { ...facts, ports: [], vpn }).when({ type: 'DeleteRouter', actor: p1 }).then({
        status: 409, type: 'RouterInUse', message: `Router ${r1.id} is currently used by VPN service (svc-1)`,
      });
    });

    it('removing the interface of a service\'s subnet is SubnetInUseByVPNService; of a local endpoint group\'s, SubnetInUseByIPsecSiteConnection', () => {
      const state = { ...facts, router: r1, visibleSubnet: subnet };
      const refused = (v: typeof vpn | { services: Array<{ id: string; subnet_id: string | null }>; connections: Array<{ id: string; subnet_ids: string[] }> }, req: InterfaceRequest) => {
        try {
          planInterfaceRemove(req, p1, { ...state, vpn: v });
        } catch (err) {
          const e = err as { status: number; type: string; message: string };
          return { status: e.status, type: e.type, message: e.message };
        }
        return undefined;
      };
      const bySubnet = { status: 409, type: 'SubnetInUseByVPNService', message: `Subnet ${sid} is used by VPNService svc-1` };
      expect(refused(vpn, { subnet_id: sid })).toEqual(bySubnet);
      expect(refused(vpn, { port_id: subnetPort.id })).toEqual(bySubnet);
      expect(refused({ services: [{ id: 'svc-1', subnet_id: null }], connections: [{ id: 'conn-1', subnet_ids: [sid] }] }, { subnet_id: sid })).toEqual({
        status: 409, type: 'SubnetInUseByIPsecSiteConnection', message: `Subnet ${sid} is used by ipsec site connection conn-1`,
      });
      expect(refused({ services: [{ id: 'svc-1', subnet_id: 'another' }], connections: [] }, { subnet_id: sid })).toBeUndefined();
    });
  });

  it('sets a gateway only with the port reserved for it; the decision refuses one reserved for another request', () => {
    const body = { router: { external_gateway_info: { network_id: S.ext.id } } };
    spec.given([created], facts).when({ type: 'UpdateRouter', body, actor: p1 }).then({ status: 409, type: 'Conflict' });
    const reserved = { fixed_ips: [{ subnet_id: S.extSub.id, ip_address: '203.0.113.9' }], for: JSON.stringify({ network_id: S.ext.id, ips: [{ subnet_id: S.extSub.id }] }) };
    spec.given([created], facts).when({ type: 'UpdateRouter', body, actor: p1, gateway: reserved }).then([
      {
        type: 'router.updated',
        data: { changes: { external_gateway_info: { network_id: S.ext.id, enable_snat: true, external_fixed_ips: [{ subnet_id: S.extSub.id, ip_address: '203.0.113.9' }] } } },
      },
    ]);
  });
});

describe('router interfaces: who may attach what', () => {
  const state = { ...spec.given([created], facts).state, visibleSubnet: subnet, visiblePort: (id: string) => ports.find((p) => p.id === id) };

  it('a port with another device is in use (Zed add-port-in-use)', () => {
    const c = l3Case('add-port-in-use');
    let err: unknown;
    try {
      planInterfaceAdd(c.request.body, l3Actor(c), state);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject(l3Error(c));
  });

  it("a member may not attach another project's subnet — a shared network's gateway (Neutron's 400); an admin may", () => {
    const shared = { ...subnet(S.extSub.id)!, project_id: 'dom-fx-adm' };
    const s = { ...state, visibleSubnet: () => shared };
    expect(() => planInterfaceAdd({ subnet_id: shared.id }, p1, s)).toThrow(
      `Bad router request: Cannot add interface to router ${r1.id} because the subnet ${shared.id} is not owned by project making the request.`,
    );
    expect(planInterfaceAdd({ subnet_id: shared.id }, admin, s)).toEqual({ kind: 'subnet', subnet: shared });
  });

  it("a member may not attach another project's port; its own port it may", () => {
    const own = ports.find((p) => p.id === S.port.id)!;
    const foreign = { ...own, project_id: 'dom-fx-p2' };
    expect(() => planInterfaceAdd({ port_id: own.id }, p1, { ...state, ports: [], visiblePort: () => foreign })).toThrow(/is not owned by project making the request/);
    expect(planInterfaceAdd({ port_id: own.id }, p1, { ...state, ports: [] })).toEqual({ kind: 'port', port: own });
  });
});

describe('router decider: revision_number as Zed bumps it (zed-tempest.json)', () => {
  const r2 = toRouter(T.r2);
  const given = () => spec.given([{ type: 'router.created', data: { router: r2 } }], { ...facts, ports: [] });
  const rev = (name: string) => tempestCase(name).response.body.router.revision_number as number;
  const update = (name: string) => ({ type: 'UpdateRouter' as const, body: tempestCase(name).request.body, actor: admin });

  it('an update naming an attribute with its current value is recorded (Zed router-update-same-name bumps it)', () => {
    expect(rev('router-update-same-name')).toBe(rev('router-update-name') + 1);
    const same = { type: 'UpdateRouter' as const, body: { router: { name: r2.name } }, actor: admin };
    given().when(same).then([{ type: 'router.updated', data: { changes: {} } }]);
    for (const router of [{ description: r2.description }, { admin_state_up: r2.admin_state_up }]) {
      given().when({ ...same, body: { router } }).then([{ type: 'router.updated', data: { changes: {} } }]);
    }
  });

  it('an empty update, or routes equal to the current ones, is nothing (Zed router-update-empty, router-update-routes-same)', () => {
    expect(rev('router-update-empty')).toBe(rev('router-update-same-name'));
    expect(rev('router-update-routes-same')).toBe(rev('router-update-empty'));
    given().when(update('router-update-empty')).then([]);
    given().when(update('router-update-routes-same')).then([]);
    given().when({ type: 'UpdateRouter', body: { router: { ha: false, distributed: false } }, actor: admin }).then([]);
  });

  it('an interface added counts as a change of the router (Zed router-after-interface)', () => {
    expect(rev('router-after-interface')).toBe(rev('router-update-routes-same') + 1);
    const at = '2026-02-02T00:00:00Z';
    const after = evolveRouter(r2, { type: 'router.interface_added', at, data: { router_id: r2.id, port_id: 'p', subnet_ids: ['s'] } });
    expect(after).toEqual({ ...r2, revision_number: r2.revision_number + 1, updated_at: at });
  });
});

describe('router decider: l3 agent scheduling (l3_agent_scheduler)', () => {
  const scheduled = (hosts: string[]): RouterEvent => ({ type: 'router.scheduled', data: { router_id: r1.id, hosts } });
  const agentOfHost = (h: string) => `agent-of-${h}`;
  const haRouter: RouterEvent = { type: 'router.created', data: { router: { ...r1, ha: true } } };

  it('adds a router that runs nowhere to an agent; again is nothing; a legacy router on another agent is refused naming it', () => {
    spec.given([created], facts).when({ type: 'AddRouterToAgent', host: 'net1', agentOfHost }).then([scheduled(['net1'])]);
    spec.given([created, scheduled(['net1'])], facts).when({ type: 'AddRouterToAgent', host: 'net1', agentOfHost }).then([]);
    spec.given([created, scheduled(['net1'])], facts).when({ type: 'AddRouterToAgent', host: 'net2', agentOfHost }).then({
      status: 409, type: 'RouterHostedByL3Agent', message: `The router ${r1.id} has been already hosted by the L3 Agent agent-of-net1.`,
    });
  });

  it('an HA router takes one more agent', () => {
    spec.given([haRouter, scheduled(['net1'])], facts).when({ type: 'AddRouterToAgent', host: 'net2', agentOfHost }).then([scheduled(['net1', 'net2'])]);
  });

  it('removes it from an agent (nowhere then), and removing it where it is not is nothing', () => {
    spec.given([created, scheduled(['net1'])], facts).when({ type: 'RemoveRouterFromAgent', host: 'net1' }).then([scheduled([])]);
    spec.given([created, scheduled(['net1'])], facts).when({ type: 'RemoveRouterFromAgent', host: 'net2' }).then([]);
    spec.given([], facts).when({ type: 'RemoveRouterFromAgent', host: 'net1' }).then({ status: 404, type: 'RouterNotFound' });
  });

  it('moves a legacy router off a dead agent once: not an HA router, not one moved meanwhile', () => {
    spec.given([created, scheduled(['net1'])], facts).when({ type: 'RescheduleRouter', from: 'net1', to: 'net2' }).then([scheduled(['net2'])]);
    spec.given([created, scheduled(['net3'])], facts).when({ type: 'RescheduleRouter', from: 'net1', to: 'net2' }).then([]);
    spec.given([haRouter, scheduled(['net1'])], facts).when({ type: 'RescheduleRouter', from: 'net1', to: 'net2' }).then([]);
  });
});
