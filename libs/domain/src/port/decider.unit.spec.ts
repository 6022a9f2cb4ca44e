import { NO_USAGE } from './address-usage';
import { defaultDomainConfig } from '../config';
import { deciderSpec } from '../decider-spec';
import { S, l3Actor, l3Case, l3Error, network, ports, subnetsOf } from '../__fixtures__/zed-l3';
import { allocationKey, planPortUpdate, portDecider, type PortEvent } from './decider';

const spec = deciderSpec(portDecider);
const cfg = defaultDomainConfig;
const port = ports.find((p) => p.id === S.port.id)!;
const iface = ports.find((p) => p.id === S.ifSubnetPort.id)!;
const created = (p = port): PortEvent => ({ type: 'port.created', data: { port: p } });
const facts = { network: network(port.network_id), subnets: subnetsOf(port.network_id), usage: NO_USAGE };
const p1 = l3Actor(l3Case('interface-port-delete'));

describe('port decider: given / when / then', () => {
  it('a router interface is not deleted through the port API (Zed interface-port-delete)', () => {
    spec.given([created(iface)], facts).when({ type: 'DeletePort', actor: p1 }).then(l3Error(l3Case('interface-port-delete')));
    // ...but its router removes it
    spec.given([created(iface)], facts).when({ type: 'DeletePort', actor: p1, byOwner: true }).then([
      { type: 'port.deleted', data: { port_id: iface.id, network_id: iface.network_id, fixed_ips: iface.fixed_ips, mac_address: iface.mac_address } },
    ]);
  });

  it('another project may not delete it', () => {
    spec.given([created()], facts).when({ type: 'DeletePort', actor: { user_id: null, project_id: 'other', roles: ['member'] } }).then({ status: 403, type: 'PolicyNotAuthorized' });
  });

  it('renames; an address change is decided only with the addresses reserved for it', () => {
    spec.given([created()], facts).when({ type: 'UpdatePort', body: { port: { name: 'renamed' } }, actor: p1, cfg }).then([
      { type: 'port.updated', data: { changes: { name: 'renamed' } } },
    ]);
    const body = { port: { fixed_ips: [...port.fixed_ips, { subnet_id: port.fixed_ips[0].subnet_id }] } };
    spec.given([created()], facts).when({ type: 'UpdatePort', body, actor: p1, cfg }).then({ status: 409, type: 'Conflict' });
    const state = spec.given([created()], facts).state;
    const key = allocationKey(planPortUpdate({ body, actor: p1, cfg }, state), port);
    const extra = { subnet_id: port.fixed_ips[0].subnet_id, ip_address: '10.70.0.200' };
    spec.given([created()], facts).when({ type: 'UpdatePort', body, actor: p1, cfg, allocation: { mac_address: null, fixed_ips: [extra], for: key } }).then([
      { type: 'port.updated', data: { changes: { fixed_ips: [...port.fixed_ips, extra] } } },
    ]);
  });

  it('a port attached as a router interface must have no other device (PortInUse, decided on its fresh state)', () => {
    const attached = ports.find((p) => p.id === S.attached.id)!;
    spec.given([created(attached)], facts)
      .when({ type: 'SetPortDevice', changes: { device_id: S.r1.id, device_owner: 'network:router_interface' }, attach: true })
      .then(l3Error(l3Case('add-port-in-use')));
    spec.given([created()], facts).when({ type: 'SetPortDevice', changes: { device_id: S.r1.id, device_owner: 'network:router_interface' }, attach: true }).then([
      { type: 'port.updated', data: { changes: { device_id: S.r1.id, device_owner: 'network:router_interface' } } },
    ]);
  });

  it('a subnet that goes takes its addresses from the port', () => {
    const multi = ports.find((p) => p.id === S.multi.id)!;
    const gone = multi.fixed_ips[0].subnet_id;
    spec.given([created(multi)], facts).when({ type: 'DropSubnetAddresses', subnet_id: gone }).then([
      { type: 'port.updated', data: { changes: { fixed_ips: multi.fixed_ips.filter((f) => f.subnet_id !== gone) } } },
    ]);
  });
});
