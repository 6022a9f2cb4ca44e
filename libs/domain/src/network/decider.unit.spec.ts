import { deciderSpec } from '../decider-spec';
import { S, l3Actor, l3Case, l3Error, networks, ports } from '../__fixtures__/zed-l3';
import { networkDecider, type NetworkEvent } from './decider';

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
