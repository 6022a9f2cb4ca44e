import { deciderSpec } from '../decider-spec';
import { S, l3Actor, l3Case, l3Error, network, ports, subnets } from '../__fixtures__/zed-l3';
import { T, tempestActor, tempestCase, tempestError, toNetwork, toPort, toSubnet } from '../__fixtures__/zed-tempest';
import type { Port } from '../model';
import { subnetDecider, subnetHoldersInUse, type SubnetEvent } from './decider';

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

describe('subnet decider: IPv6 auto-address subnets deleted with ports (Zed, zed-tempest.json)', () => {
  const net = toNetwork(T.v6net);
  const siblings = ['v4sub', 'slaac', 'stateless', 'stateful', 'slaacIf'].map((k) => toSubnet(T[k]));
  const vm = toPort(T.v6port);
  const given = (key: string, holders: Port[]) =>
    spec.given([{ type: 'subnet.created', data: { subnet: toSubnet(T[key]) } }], { network: net, siblings, holders });
  const deleted = (key: string): SubnetEvent[] => [{ type: 'subnet.deleted', data: { subnet_id: T[key].id, network_id: net.id } }];

  it.each([['slaac', 'slaac-delete'], ['stateless', 'stateless-delete']])('a %s subnet with a port on it is deleted (Zed %s: 204); the port only loses its address there', (key, name) => {
    expect(tempestCase(name).response.status).toBe(204);
    given(key, [vm]).when({ type: 'DeleteSubnet', actor: tempestActor(name) }).then(deleted(key));
    expect(subnetHoldersInUse([vm], toSubnet(T[key]))).toEqual([]);
  });

  it('a DHCPv6-stateful subnet with a port on it is in use (Zed stateful-delete)', () => {
    given('stateful', [vm]).when({ type: 'DeleteSubnet', actor: tempestActor('stateful-delete') }).then(tempestError('stateful-delete'));
  });

  it("a router's interface keeps a SLAAC subnet in use (Zed slaac-delete-router-interface)", () => {
    const ifPort: Port = { ...vm, id: T.r6if.port_id, device_id: T.r6.id, device_owner: 'network:router_interface', fixed_ips: [{ subnet_id: T.slaacIf.id, ip_address: '2001:db8:94::1' }] };
    given('slaacIf', [vm, ifPort]).when({ type: 'DeleteSubnet', actor: tempestActor('slaac-delete-router-interface') }).then(tempestError('slaac-delete-router-interface'));
  });

  it('the port keeps its other addresses (Zed v6-port-after)', () => {
    const after = tempestCase('v6-port-after').response.body.port.fixed_ips.map((f: { subnet_id: string }) => f.subnet_id);
    expect(after).toEqual([T.v4sub.id, T.stateful.id]);
  });
});
