import { deciderSpec } from '../decider-spec';
import { S, l3Actor, l3Case, l3Error, networks, ports, subnetsOf } from '../__fixtures__/zed-l3';
import { T, tempestActor, tempestCase, tempestError, toFloatingIp, toNetwork, toPort } from '../__fixtures__/zed-tempest';
import { floatingIpsDeletedWith, networkDecider, portMustJoin, type NetworkEvent } from './decider';

const spec = deciderSpec(networkDecider);
const net = networks.find((n) => n.id === S.net.id)!;
const created: NetworkEvent = { type: 'network.created', data: { network: net } };
const onNet = ports.filter((p) => p.network_id === net.id);
const p1 = l3Actor(l3Case('interface-network-delete'));
const dhcp = { ...onNet[0], id: 'dhcp-port', device_owner: 'network:dhcp' };

describe('network decider: given / when / then', () => {
  it('refuses to delete a network with ports in use, naming them (Zed interface-network-delete)', () => {
    spec.given([created], { ports: onNet }).when({ type: 'DeleteNetwork', actor: p1 }).then(l3Error(l3Case('interface-network-delete')));
  });

  it('deletes a network whose only ports are DHCP ports (they go with it)', () => {
    spec.given([created], { ports: [dhcp] }).when({ type: 'DeleteNetwork', actor: p1 }).then([{ type: 'network.deleted', data: { network_id: net.id } }]);
  });

  it("another project may not delete it; deleting a deleted network is nothing", () => {
    spec.given([created]).when({ type: 'DeleteNetwork', actor: { user_id: null, project_id: 'other', roles: ['member'] } }).then({
      status: 403, type: 'PolicyNotAuthorized', message: '(rule:delete_network) is disallowed by policy',
    });
    spec.given([created, { type: 'network.deleted', data: { network_id: net.id } }]).when({ type: 'DeleteNetwork', actor: p1 }).then([]);
  });

  it('renames; an unchanged name is no event', () => {
    spec.given([created]).when({ type: 'UpdateNetwork', body: { network: { name: 'renamed' } }, actor: p1 }).then([
      { type: 'network.updated', data: { changes: { name: 'renamed' } } },
    ]);
    spec.given([created]).when({ type: 'UpdateNetwork', body: { network: { name: net.name } }, actor: p1 }).then([]);
  });

  it('a VLAN segment move needs the id reserved for it', () => {
    const vlan: NetworkEvent = { type: 'network.created', data: { network: { ...net, 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 100 } } };
    const admin = { user_id: null, project_id: 'adm', roles: ['admin'] };
    const body = { network: { 'provider:segmentation_id': 101 } };
    spec.given([vlan]).when({ type: 'UpdateNetwork', body, actor: admin }).then({ status: 409, type: 'Conflict' });
    spec.given([vlan]).when({ type: 'UpdateNetwork', body, actor: admin, reservedSegmentationId: 101 }).then([
      { type: 'network.updated', data: { changes: { 'provider:segmentation_id': 101 } } },
    ]);
  });
});

describe('network decider: deletions racing port creates, serialized on the network subject', () => {
  const admin = { user_id: null, project_id: 'adm', roles: ['admin'] };
  const subnetId = subnetsOf(net.id)[0].id;
  const created: NetworkEvent = { type: 'network.created', data: { network: { ...net, subnets: [subnetId] } } };
  const marked = (id: string): NetworkEvent => ({ type: 'network.deleting', data: { network_id: net.id, id } });
  const tenantPort = { ...onNet[0], id: 'tenant-port', device_owner: 'compute:nova', fixed_ips: [{ subnet_id: subnetId, ip_address: '10.0.0.9' }] };
  const deleted: NetworkEvent = { type: 'network.deleted', data: { network_id: net.id } };

  it('a network deletion is marked after the checks of DeleteNetwork (policy, NetworkInUse)', () => {
    spec.given([created], { ports: [dhcp] }).when({ type: 'BeginDeletion', id: net.id, actor: p1 }).then([marked(net.id)]);
    spec.given([created], { ports: onNet }).when({ type: 'BeginDeletion', id: net.id, actor: p1 }).then(l3Error(l3Case('interface-network-delete')));
    spec.given([created]).when({ type: 'BeginDeletion', id: net.id, actor: { user_id: null, project_id: 'other', roles: ['member'] } })
      .then({ status: 403, type: 'PolicyNotAuthorized' });
    spec.given([created, deleted]).when({ type: 'BeginDeletion', id: net.id, actor: p1 }).then([]);
  });

  it('a pending mark is kept on the network until cancelled (one mark per deletion)', () => {
    const state = spec.given([created, marked(net.id), marked(subnetId)]).state;
    expect(state.network!.deleting).toEqual([net.id, subnetId]);
    spec.given([created, marked(net.id), marked(net.id)]).when({ type: 'CancelDeletion', id: net.id }).then([
      { type: 'network.deleting_cancelled', data: { network_id: net.id, id: net.id } },
    ]);
    const cancelled = spec.given([created, marked(net.id), { type: 'network.deleting_cancelled', data: { network_id: net.id, id: net.id } }]).state;
    expect(cancelled.network!.deleting).toBeUndefined();
    spec.given([created]).when({ type: 'CancelDeletion', id: net.id }).then([]);
  });

  it('a port recorded while a deletion is pending joins the network', () => {
    spec.given([created, marked(net.id)]).when({ type: 'JoinPort', port: tenantPort }).then([
      { type: 'network.port_joined', data: { network_id: net.id, port_id: tenantPort.id } },
    ]);
  });

  it('the network deleted first: the joining port is refused with NetworkNotFound', () => {
    spec.given([created, marked(net.id), deleted]).when({ type: 'JoinPort', port: tenantPort }).then({
      status: 404, type: 'NetworkNotFound', message: `Network ${net.id} could not be found.`,
    });
  });

  it('the network deletion past its subnets: a joining port with an address on one is refused with NetworkNotFound', () => {
    spec.given([created, marked(net.id), { type: 'subnet.deleted', data: { subnet_id: subnetId, network_id: net.id } } as unknown as NetworkEvent])
      .when({ type: 'JoinPort', port: tenantPort }).then({ status: 404, type: 'NetworkNotFound' });
  });

  it('a port recorded with an address on a subnet gone meanwhile is not in the way of the network deletion (it is refused when it joins)', () => {
    const subnetDeleted = { type: 'subnet.deleted', data: { subnet_id: subnetId, network_id: net.id } } as unknown as NetworkEvent;
    spec.given([created, marked(net.id), subnetDeleted], { ports: [tenantPort] }).when({ type: 'DeleteNetwork', actor: admin }).then([deleted]);
    spec.given([created, marked(net.id)], { ports: [tenantPort] }).when({ type: 'DeleteNetwork', actor: admin }).then({ status: 409, type: 'NetworkInUse' });
  });

  it('the port joined first: the network deletion decided again finds it in use', () => {
    spec.given([created, marked(net.id), { type: 'network.port_joined', data: { network_id: net.id, port_id: tenantPort.id } }], { ports: [tenantPort] })
      .when({ type: 'DeleteNetwork', actor: admin }).then({ status: 409, type: 'NetworkInUse' });
  });

  it('a subnet removal is decided against the ports holding an address on it (DHCP ports do not count)', () => {
    spec.given([created, marked(subnetId)], { ports: [tenantPort] }).when({ type: 'RemoveSubnet', subnet_id: subnetId }).then({
      status: 409, type: 'SubnetInUse', message: `Unable to complete operation on subnet ${subnetId}: One or more ports have an IP allocation from this subnet.`,
    });
    const dhcpOnSubnet = { ...dhcp, fixed_ips: tenantPort.fixed_ips };
    spec.given([created, marked(subnetId)], { ports: [dhcpOnSubnet] }).when({ type: 'RemoveSubnet', subnet_id: subnetId }).then([
      { type: 'network.subnet_removed', data: { network_id: net.id, subnet_id: subnetId } },
    ]);
  });

  it('the subnet removed first: a port with an address on it is refused (SubnetNotFound), one without it joins', () => {
    const removed: NetworkEvent = { type: 'network.subnet_removed', data: { network_id: net.id, subnet_id: subnetId } };
    spec.given([created, marked(subnetId), removed]).when({ type: 'JoinPort', port: tenantPort }).then({
      status: 404, type: 'SubnetNotFound', message: `Subnet ${subnetId} could not be found.`,
    });
    spec.given([created, marked(subnetId), removed]).when({ type: 'JoinPort', port: { ...tenantPort, fixed_ips: [] } }).then([
      { type: 'network.port_joined', data: { network_id: net.id, port_id: tenantPort.id } },
    ]);
    spec.given([created, marked(subnetId), removed]).when({ type: 'RemoveSubnet', subnet_id: subnetId }).then([]);
  });

  it('subnet.deleted ends the subnet\'s marks and removal; a port on a subnet already gone is refused', () => {
    const state = spec.given([
      created, marked(subnetId), marked(subnetId), { type: 'network.subnet_removed', data: { network_id: net.id, subnet_id: subnetId } },
      { type: 'subnet.deleted', data: { subnet_id: subnetId, network_id: net.id } } as unknown as NetworkEvent,
    ]).state;
    expect(state.network!.deleting).toBeUndefined();
    expect(state.network!.removed_subnets).toBeUndefined();
    expect(state.network!.subnets).not.toContain(subnetId);
    spec.given([created, { type: 'subnet.deleted', data: { subnet_id: subnetId, network_id: net.id } } as unknown as NetworkEvent])
      .when({ type: 'JoinPort', port: tenantPort }).then({ status: 404, type: 'SubnetNotFound' });
  });

  describe('a port update adding an address on a subnet being deleted joins the network with the subnets it added', () => {
    const other = 'other-subnet';
    const twoSubnets: NetworkEvent = { type: 'network.created', data: { network: { ...net, subnets: [subnetId, other] } } };
    const removed: NetworkEvent = { type: 'network.subnet_removed', data: { network_id: net.id, subnet_id: subnetId } };
    const before = { ...tenantPort, id: 'updated-port', fixed_ips: [{ subnet_id: other, ip_address: '10.0.1.5' }] };
    const after = { ...before, fixed_ips: [...before.fixed_ips, { subnet_id: subnetId, ip_address: '10.0.0.7' }] };
    const joined: NetworkEvent = { type: 'network.port_joined', data: { network_id: net.id, port_id: before.id } };

    it('the update joined first: the subnet removal decided again finds the port holding an address on it (SubnetInUse)', () => {
      spec.given([twoSubnets, marked(subnetId)]).when({ type: 'JoinPort', port: after, subnets: [subnetId] }).then([joined]);
      spec.given([twoSubnets, marked(subnetId), joined], { ports: [after] }).when({ type: 'RemoveSubnet', subnet_id: subnetId }).then({
        status: 409, type: 'SubnetInUse',
      });
    });

    it('the removal decided first (or the subnet deleted): the update is refused as on a subnet that does not exist (SubnetNotFound, Zed subnet-not-found)', () => {
      const refused = { status: 404, type: 'SubnetNotFound', message: `Subnet ${subnetId} could not be found.` };
      spec.given([twoSubnets, marked(subnetId), removed]).when({ type: 'JoinPort', port: after, subnets: [subnetId] }).then(refused);
      const subnetDeleted = { type: 'subnet.deleted', data: { subnet_id: subnetId, network_id: net.id } } as unknown as NetworkEvent;
      spec.given([twoSubnets, subnetDeleted]).when({ type: 'JoinPort', port: after, subnets: [subnetId] }).then(refused);
    });

    it('only the subnets the update added are checked: an address added on a live subnet joins while another subnet is removed', () => {
      const onOther = { ...before, fixed_ips: [{ subnet_id: subnetId, ip_address: '10.0.0.8' }, ...before.fixed_ips] };
      // (a DHCP port keeps its address on the removed subnet until it is dropped; adding one elsewhere is not refused for it)
      spec.given([twoSubnets, marked(subnetId), removed]).when({ type: 'JoinPort', port: onOther, subnets: [other] }).then([joined]);
      spec.given([twoSubnets, marked(subnetId), removed]).when({ type: 'JoinPort', port: onOther }).then({ status: 404, type: 'SubnetNotFound' });
    });

    it('whether a recorded port must join: a deletion pending, a removal decided, or a subnet it was given gone; else not', () => {
      const state = (events: NetworkEvent[]) => spec.given(events).state.network;
      expect(portMustJoin(state([twoSubnets]), after, [subnetId])).toBe(false);
      expect(portMustJoin(state([twoSubnets, marked(subnetId)]), after, [subnetId])).toBe(true);
      expect(portMustJoin(state([twoSubnets, marked(subnetId), removed]), after, [subnetId])).toBe(true);
      const subnetDeleted = { type: 'subnet.deleted', data: { subnet_id: subnetId, network_id: net.id } } as unknown as NetworkEvent;
      expect(portMustJoin(state([twoSubnets, subnetDeleted]), after, [subnetId])).toBe(true);
      expect(portMustJoin(state([twoSubnets, subnetDeleted]), after, [other])).toBe(false);
      expect(portMustJoin(undefined, after, [other])).toBe(true);
    });
  });
});

describe('network decider: an external network deleted with its floating IPs (Zed, zed-tempest.json)', () => {
  const admin = tempestActor('extnet-delete-disassociated');
  const ext = (key: 'ext' | 'ext2'): NetworkEvent => ({ type: 'network.created', data: { network: toNetwork(T[key]) } });

  it('a floating IP not associated goes with the network: its port is not in the way (Zed extnet-delete-disassociated: 204)', () => {
    expect(tempestCase('extnet-delete-disassociated').response.status).toBe(204);
    const loose = toFloatingIp(T.loose);
    spec.given([ext('ext')], { ports: [toPort(T.loosePort)], floatingIps: [loose] }).when({ type: 'DeleteNetwork', actor: admin })
      .then([{ type: 'network.deleted', data: { network_id: T.ext.id } }]);
    expect(floatingIpsDeletedWith([loose]).map((f) => f.id)).toEqual([T.loose.id]);
  });

  it('an associated one keeps its port in the way, as does a gateway (Zed extnet-delete-associated: 409 NetworkInUse naming both)', () => {
    const fip = { ...toFloatingIp(T.fip), port_id: T.vm.id };
    spec.given([ext('ext2')], { ports: [toPort(T.gwPort), toPort(T.fipPort)], floatingIps: [fip] }).when({ type: 'DeleteNetwork', actor: admin })
      .then(tempestError('extnet-delete-associated'));
    expect(floatingIpsDeletedWith([fip])).toEqual([]);
  });

  it('without the floating IPs as facts, its port is in the way', () => {
    spec.given([ext('ext')], { ports: [toPort(T.loosePort)] }).when({ type: 'DeleteNetwork', actor: admin }).then({ status: 409, type: 'NetworkInUse' });
  });
});
