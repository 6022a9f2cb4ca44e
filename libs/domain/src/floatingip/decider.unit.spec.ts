import { deciderSpec } from '../decider-spec';
import { S, l3Actor, l3Case, l3Error, network, ports, subnets, subnetsOf, toFloatingIp, toRouter } from '../__fixtures__/zed-l3';
import { T, TEMPEST, tempestActor, tempestCase } from '../__fixtures__/zed-tempest';
import { floatingIpDecider, planFloatingIpCreate, type FloatingIpEvent } from './decider';

const spec = deciderSpec(floatingIpDecider);
const r1 = { ...toRouter(S.r1), external_gateway_info: { network_id: S.ext.id, enable_snat: true, external_fixed_ips: [] } };
const subnetPort = ports.find((p) => p.id === S.ifSubnetPort.id)!;
const f1 = toFloatingIp(S.f1);
const facts = (floatingIps = [f1]) => ({
  networks: { network, subnetsOf },
  association: {
    port: (id: string) => ports.find((p) => p.id === id),
    subnet: (id: string) => subnets.find((s) => s.id === id),
    routers: [r1],
    interfacesOf: (id: string) => (id === r1.id ? [subnetPort] : []),
    floatingIps,
  },
});
const now = '2026-01-01T00:00:00Z';
const create = (name: string) => {
  const c = l3Case(name);
  return { type: 'CreateFloatingIp' as const, body: c.request.body, actor: l3Actor(c), id: 'fip-new', now, address: '203.0.113.50' };
};

describe('floating IP decider: given / when / then', () => {
  it.each(['fip-no-network', 'fip-not-external', 'fip-missing-network', 'fip-address-member', 'fip-multi-ipv4', 'fip-missing-port', 'fip-unreachable'])(
    'create %s → the Zed error',
    (name) => {
      spec.given([], facts()).when(create(name)).then(l3Error(l3Case(name)));
    },
  );

  it('one floating IP per fixed IP: a second one for an associated address is refused (Zed fip-already-associated names the new address)', () => {
    const c = l3Case('fip-already-associated');
    const associated = { ...f1, port_id: S.port.id, fixed_ip_address: S.port.fixed_ips[0].ip_address, router_id: r1.id };
    const recorded = l3Error(c);
    const [, address, id] = /floating IP (\S+) \((\S+)\)/.exec(recorded.message)!;
    spec.given([], facts([associated])).when({ ...create('fip-already-associated'), id, address }).then(recorded);
    // checked before an address is taken only when it does not depend on the address
    expect(planFloatingIpCreate({ body: c.request.body, actor: l3Actor(c), id: 'fip-new' }, spec.given([], facts([associated])).state).ip).toEqual({ subnet_id: S.extSub.id });
  });

  it('creates an associated floating IP through the router that reaches the port', () => {
    const c = l3Case('fip-create-associated');
    const port = ports.find((p) => p.id === c.request.body.floatingip.port_id)!;
    spec.given([], facts([])).when(create('fip-create-associated')).then([
      {
        type: 'floatingip.created',
        data: {
          floatingip: {
            id: 'fip-new', tenant_id: S.port.project_id, project_id: S.port.project_id, floating_ip_address: '203.0.113.50', floating_network_id: S.ext.id,
            router_id: r1.id, port_id: port.id, fixed_ip_address: port.fixed_ips[0].ip_address, status: 'DOWN', description: c.request.body.floatingip.description ?? '',
            tags: [], created_at: now, updated_at: now, revision_number: 0,
          },
        },
      },
    ]);
  });

  it('disassociates when its port goes, and deletes', () => {
    const associated: FloatingIpEvent = { type: 'floatingip.created', data: { floatingip: { ...f1, port_id: S.port.id, fixed_ip_address: '10.70.0.5', router_id: r1.id } } };
    spec.given([associated], facts()).when({ type: 'DisassociateFloatingIp' }).then([
      { type: 'floatingip.updated', data: { changes: { port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' } } },
    ]);
    spec.given([associated], facts()).when({ type: 'DeleteFloatingIp', actor: l3Actor(l3Case('fip-multi-ipv4')) }).then([{ type: 'floatingip.deleted', data: { floatingip_id: f1.id } }]);
    spec.given([], facts()).when({ type: 'DisassociateFloatingIp' }).then([]);
  });

  it("one floating IP per fixed IP: the claim on the port's subject is decided against the other floating IPs, not itself", () => {
    const mine = { ...f1, id: 'mine', port_id: S.port.id, fixed_ip_address: S.port.fixed_ips[0].ip_address, router_id: r1.id };
    const rival = { ...mine, id: 'rival' };
    const actor = l3Actor(l3Case('fip-multi-ipv4'));
    const created = (f: typeof mine): FloatingIpEvent => ({ type: 'floatingip.created', data: { floatingip: f } });
    spec.given([created(mine)], facts([mine])).when({ type: 'ClaimFixedIp', actor }).then([
      { type: 'port.floatingip_associated', data: { port_id: S.port.id, floatingip_id: 'mine', fixed_ip_address: mine.fixed_ip_address, floating_network_id: S.ext.id } },
    ]);
    spec.given([created(mine)], facts([mine, rival])).when({ type: 'ClaimFixedIp', actor }).then({ status: 409, type: 'FloatingIPPortAlreadyAssociated' });
  });
});

describe('floating IP decider: updates tempest sends (Zed, zed-tempest.json)', () => {
  const fip = toFloatingIp(T.fip);
  const created: FloatingIpEvent = { type: 'floatingip.created', data: { floatingip: fip } };
  const admin = tempestActor('fip-update-blank');
  const answered = (name: string) => tempestCase(name).response.body.floatingip;
  const update = (name: string) => ({ type: 'UpdateFloatingIp' as const, body: tempestCase(name).request.body, actor: admin });

  it('a description change keeps the association (Zed fip-update-description)', () => {
    expect(answered('fip-update-description')).toMatchObject({ port_id: T.vm.id, description: 'd2' });
    spec.given([created], facts()).when(update('fip-update-description')).then([{ type: 'floatingip.updated', data: { changes: { description: 'd2' } } }]);
  });

  it('a blank update clears the association (Zed fip-update-blank)', () => {
    expect(answered('fip-update-blank')).toMatchObject({ port_id: null, fixed_ip_address: null, router_id: null });
    spec.given([created], facts()).when(update('fip-update-blank')).then([
      { type: 'floatingip.updated', data: { changes: { port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' } } },
    ]);
  });

  it.each(['fip-update-blank-again', 'fip-update-disassociate-again', 'fip-update-same-description'])(
    'an update that changes nothing is recorded: Zed bumps revision_number on every update (%s)',
    (name) => {
      const names = Object.keys(TEMPEST.cases);
      expect(answered(name).revision_number).toBe(answered(names[names.indexOf(name) - 1]).revision_number + 1);
      const disassociated: FloatingIpEvent = { type: 'floatingip.created', data: { floatingip: { ...fip, port_id: null, fixed_ip_address: null, router_id: null, description: 'd2' } } };
      spec.given([disassociated], facts()).when(update(name)).then([{ type: 'floatingip.updated', data: { changes: {} } }]);
    },
  );

  it('deleted with its external network: refused when it was associated meanwhile', () => {
    const loose: FloatingIpEvent = { type: 'floatingip.created', data: { floatingip: { ...fip, port_id: null, fixed_ip_address: null, router_id: null } } };
    spec.given([loose], facts()).when({ type: 'DeleteFloatingIp', actor: admin, withNetwork: true }).then([{ type: 'floatingip.deleted', data: { floatingip_id: fip.id } }]);
    spec.given([created], facts()).when({ type: 'DeleteFloatingIp', actor: admin, withNetwork: true }).then({ status: 409, type: 'FloatingIPAssociated' });
    spec.given([created], facts()).when({ type: 'DeleteFloatingIp', actor: admin }).then([{ type: 'floatingip.deleted', data: { floatingip_id: fip.id } }]);
  });
});
