import { NET_A, NET_B, ROUTER, VM1, VM2, VM3, ev, portCreated, portLog } from '../__fixtures__/port-log';
import { MetadataView } from './metadata-view';

const viewOf = (events = portLog()) => {
  const v = new MetadataView();
  for (const e of events) v.apply(e);
  return v;
};

describe('MetadataView: (network or router, source address) → instance (spec/metadata.md §5.2)', () => {
  it('finds the instance by address on the given network, overlapping CIDRs kept apart', () => {
    const v = viewOf();
    expect(v.lookup({ ip: '10.0.0.5', networkId: NET_A })).toEqual({ found: true, instanceId: VM1, tenantId: 'tenant-1', portId: 'p-vm1' });
    expect(v.lookup({ ip: '10.0.0.5', networkId: NET_B })).toMatchObject({ found: true, instanceId: VM2 });
    expect(v.lookup({ ip: '10.0.0.6', networkId: NET_A })).toMatchObject({ found: true, instanceId: VM3, tenantId: 'tenant-2' });
  });

  it('through a router: only on the networks the router has an interface on', () => {
    const v = viewOf();
    expect(v.networksOfRouter(ROUTER)).toEqual([NET_A]);
    expect(v.lookup({ ip: '10.0.0.5', routerId: ROUTER })).toMatchObject({ found: true, instanceId: VM1 });
    expect(v.lookup({ ip: '10.0.0.5', routerId: 'another-router' })).toEqual({ found: false, reason: 'no-network' });
  });

  it('a router on two networks with the same address: refused (several ports)', () => {
    const v = viewOf([...portLog(), portCreated('p-rtr-b', NET_B, '10.0.0.1', { device_owner: 'network:router_interface', device_id: ROUTER })]);
    expect(v.networksOfRouter(ROUTER)).toEqual([NET_A, NET_B]);
    expect(v.lookup({ ip: '10.0.0.5', routerId: ROUTER })).toEqual({ found: false, reason: 'several-ports' });
  });

  it('unknown addresses, network-owned ports and missing headers get no answer', () => {
    const v = viewOf();
    expect(v.lookup({ ip: '10.0.0.99', networkId: NET_A })).toEqual({ found: false, reason: 'no-port' });
    expect(v.lookup({ ip: '10.0.0.2', networkId: NET_A })).toEqual({ found: false, reason: 'no-port' });
    expect(v.lookup({ ip: '10.0.0.1', networkId: NET_A })).toEqual({ found: false, reason: 'no-port' });
    expect(v.lookup({ ip: '10.0.0.5' })).toEqual({ found: false, reason: 'no-network' });
  });

  it('follows address changes, device changes, port and network deletion', () => {
    const v = viewOf();
    v.apply(ev('port.updated', 'port', 'p-vm1', { changes: { fixed_ips: [{ subnet_id: 's', ip_address: '10.0.0.7' }] } }));
    expect(v.lookup({ ip: '10.0.0.5', networkId: NET_A })).toMatchObject({ found: false });
    expect(v.lookup({ ip: '10.0.0.7', networkId: NET_A })).toMatchObject({ found: true, instanceId: VM1 });
    v.apply(ev('port.updated', 'port', 'p-vm1', { changes: { device_id: '' } }));
    expect(v.lookup({ ip: '10.0.0.7', networkId: NET_A })).toMatchObject({ found: false }); // detached from its instance
    v.apply(ev('port.deleted', 'port', 'p-vm3', { port_id: 'p-vm3', network_id: NET_A, fixed_ips: [], mac_address: '' }));
    expect(v.lookup({ ip: '10.0.0.6', networkId: NET_A })).toMatchObject({ found: false });
    v.apply(ev('network.deleted', 'network', NET_B, { network_id: NET_B }));
    expect(v.lookup({ ip: '10.0.0.5', networkId: NET_B })).toMatchObject({ found: false });
    expect(v.ports.has('p-vm2')).toBe(false);
  });

  it('compares IPv6 addresses by value', () => {
    const v = viewOf([portCreated('p6', NET_A, 'fd00:0:0::0005', { device_id: VM1 })]);
    expect(v.lookup({ ip: 'fd00::5', networkId: NET_A })).toMatchObject({ found: true, instanceId: VM1 });
  });

  it('never asks for a reconcile (it drives no dataplane)', () => {
    const v = new MetadataView();
    expect(portLog().map((e) => v.apply(e))).toEqual([false, false, false, false, false]);
  });
});
