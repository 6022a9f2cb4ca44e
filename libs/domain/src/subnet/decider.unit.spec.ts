import { deciderSpec } from '../decider-spec';
import { S, l3Actor, l3Case, l3Error, network, ports, subnets } from '../__fixtures__/zed-l3';
import { subnetDecider, type SubnetEvent } from './decider';

const spec = deciderSpec(subnetDecider);
const sub = subnets.find((s) => s.id === S.sub.id)!;
const created: SubnetEvent = { type: 'subnet.created', data: { subnet: sub } };
const holders = ports.filter((p) => p.fixed_ips.some((f) => f.subnet_id === sub.id));
const c = l3Case('interface-subnet-delete');
const facts = { network: network(sub.network_id), siblings: subnets.filter((s) => s.network_id === sub.network_id) };

describe('subnet decider: given / when / then', () => {
  it('refuses to delete a subnet that ports hold addresses on (Zed interface-subnet-delete)', () => {
    spec.given([created], { ...facts, holders }).when({ type: 'DeleteSubnet', actor: l3Actor(c) }).then(l3Error(c));
  });

  it('deletes it when only DHCP ports hold addresses there', () => {
    const dhcp = { ...holders[0], device_owner: 'network:dhcp' };
    spec.given([created], { ...facts, holders: [dhcp] }).when({ type: 'DeleteSubnet', actor: l3Actor(c) }).then([
      { type: 'subnet.deleted', data: { subnet_id: sub.id, network_id: sub.network_id } },
    ]);
  });

  it('a deletion already decided on the network (network.subnet_removed) is recorded even while a refused port still shows', () => {
    spec.given([created], { ...facts, holders }).when({ type: 'DeleteSubnet', actor: l3Actor(c), removed: true }).then([
      { type: 'subnet.deleted', data: { subnet_id: sub.id, network_id: sub.network_id } },
    ]);
    spec.given([created], { ...facts, holders }).when({ type: 'DeleteSubnet', actor: { user_id: null, project_id: 'other', roles: ['member'] }, removed: true })
      .then({ status: 403, type: 'PolicyNotAuthorized' });
  });

  it("refuses a new subnet that overlaps a sibling on the network (decided against the network's subnets)", () => {
    const body = { subnet: { network_id: sub.network_id, cidr: sub.cidr, ip_version: 4 } };
    spec.given([], facts).when({ type: 'CreateSubnet', body, actor: l3Actor(c), id: 's-new', now: '2026-01-01T00:00:00Z' }).then({ status: 400, type: 'InvalidInput' });
  });

  it('renames', () => {
    spec.given([created], { ...facts, holders }).when({ type: 'UpdateSubnet', body: { subnet: { name: 'renamed' } }, actor: l3Actor(c) }).then([
      { type: 'subnet.updated', data: { changes: { name: 'renamed' } } },
    ]);
  });
});
