import type { FixedIp, Port } from '@neutrino/domain';
import type { StoredEvent } from '@neutrino/events';
import { createLogger } from '@neutrino/observability';
import { DHCP_PORT, HOST, NET, SUBNET, dhcpPort, ev, myUserNetworkLog, network, subnet } from '../__fixtures__/dhcp-log';
import { dhcpDeviceId } from '../desired/device-id';
import { DhcpView } from '../view/dhcp-view';
import type { PortsApi } from './neutron-client';
import { planDhcpPorts } from './port-plan';
import { DhcpPortSync } from './port-sync';

const viewOf = (events: StoredEvent[]) => {
  const v = new DhcpView(HOST);
  for (const e of events) v.apply(e);
  return v;
};
const S2 = 'd7bba0a0-7dc5-4b6f-a4f3-1f2c1e9f0a02';

describe('planDhcpPorts', () => {
  it('asks for a DHCP port of this host with an address on each DHCP subnet', () => {
    expect(planDhcpPorts(viewOf([network(), subnet()]))).toEqual([
      {
        kind: 'create',
        networkId: NET,
        port: {
          network_id: NET, tenant_id: 'p', name: '', admin_state_up: true, device_owner: 'network:dhcp',
          device_id: dhcpDeviceId(HOST, NET), 'binding:host_id': HOST, fixed_ips: [{ subnet_id: SUBNET }],
        },
      },
    ]);
  });

  it('asks for nothing when the log already holds its port (a restart), nor for networks without DHCP', () => {
    expect(planDhcpPorts(viewOf(myUserNetworkLog()))).toEqual([]);
    expect(planDhcpPorts(viewOf([network(), subnet(SUBNET, { enable_dhcp: false })]))).toEqual([]);
    expect(planDhcpPorts(viewOf([network()]))).toEqual([]);
  });

  it('keeps its port while the network is administratively down', () => {
    expect(planDhcpPorts(viewOf([...myUserNetworkLog(), ev('network.updated', 'network', NET, { changes: { admin_state_up: false } })]))).toEqual([]);
  });

  it('makes no port for a network whose deletion is pending (the deletion took it), and again once it is cancelled', () => {
    const marked = [network(), subnet(), ev('network.deleting', 'network', NET, { network_id: NET, id: NET })];
    expect(planDhcpPorts(viewOf(marked))).toEqual([]);
    // a port it holds is kept meanwhile: a deletion refused as NetworkInUse leaves the network served
    expect(planDhcpPorts(viewOf([...myUserNetworkLog(), ev('network.deleting', 'network', NET, { network_id: NET, id: NET })]))).toEqual([]);
    const cancelled = [...marked, ev('network.deleting_cancelled', 'network', NET, { network_id: NET, id: NET })];
    expect(planDhcpPorts(viewOf(cancelled)).map((a) => a.kind)).toEqual(['create']);
  });

  it('adds an address on a new DHCP subnet', () => {
    expect(planDhcpPorts(viewOf([...myUserNetworkLog(), subnet(S2, { cidr: '10.30.0.0/24', gateway_ip: '10.30.0.1' })]))).toEqual([
      { kind: 'update', networkId: NET, portId: DHCP_PORT, fixedIps: [{ subnet_id: SUBNET, ip_address: '192.168.204.50' }, { subnet_id: S2 }] },
    ]);
  });

  it('deletes its port when DHCP is off on every subnet, and a duplicate of its port; never another host\'s', () => {
    const off = viewOf([...myUserNetworkLog(), ev('subnet.updated', 'subnet', SUBNET, { changes: { enable_dhcp: false } })]);
    expect(planDhcpPorts(off)).toEqual([{ kind: 'delete', networkId: NET, portId: DHCP_PORT }]);
    const dup = 'ffffffff-0000-4000-8000-000000000001';
    const twice = viewOf([...myUserNetworkLog(), { ...dhcpPort(dup, '192.168.204.60'), at: '2026-01-02T00:00:00Z' }]);
    twice.ports.get(dup)!.created_at = '2026-01-02T00:00:00Z';
    expect(planDhcpPorts(twice)).toEqual([{ kind: 'delete', networkId: NET, portId: dup }]);
    const others = viewOf([network(), subnet(SUBNET, { enable_dhcp: false }), dhcpPort(DHCP_PORT, '192.168.204.50', NET, 'network2')]);
    expect(planDhcpPorts(others)).toEqual([]);
  });
});

/** The API as a fake that records calls and answers like the gateway would (after a delay). */
class FakeApi implements PortsApi {
  calls: string[] = [];
  fail = 0;
  async createPort(port: Record<string, unknown>): Promise<Port> {
    this.calls.push(`create ${port.network_id}`);
    if (this.fail-- > 0) throw new Error('503');
    return { id: 'new', fixed_ips: [{ subnet_id: SUBNET, ip_address: '192.168.204.50' }] } as Port;
  }
  async updatePort(id: string, changes: { fixed_ips: Array<Partial<FixedIp>> }): Promise<Port> {
    this.calls.push(`update ${id} ${changes.fixed_ips.length}`);
    return { id } as Port;
  }
  async deletePort(id: string): Promise<void> {
    this.calls.push(`delete ${id}`);
  }
}

describe('DhcpPortSync', () => {
  const logger = createLogger('dhcp-agent-test', 'silent');

  it('does nothing before start() (the replay) and nothing at all when the log has its port', async () => {
    const api = new FakeApi();
    const view = viewOf(myUserNetworkLog());
    const sync = new DhcpPortSync(view, api, { logger, coalesceMs: 0 });
    sync.trigger();
    await sync.settled();
    expect(api.calls).toEqual([]);
    sync.start();
    await sync.settled();
    expect(api.calls).toEqual([]);
    await sync.stop();
  });

  it('creates once, even when more triggers come before the port reaches the log; then the log settles it', async () => {
    const api = new FakeApi();
    const view = viewOf([network(), subnet()]);
    const sync = new DhcpPortSync(view, api, { logger, coalesceMs: 0 });
    view.onChange = () => sync.trigger();
    sync.start();
    await sync.settled();
    sync.trigger();
    await sync.settled();
    expect(api.calls).toEqual([`create ${NET}`]);
    view.apply(dhcpPort());
    await sync.settled();
    expect(api.calls).toEqual([`create ${NET}`]);
    view.apply(ev('subnet.updated', 'subnet', SUBNET, { changes: { enable_dhcp: false } }));
    await sync.settled();
    expect(api.calls).toEqual([`create ${NET}`, `delete ${DHCP_PORT}`]);
    await sync.stop();
  });

  it('retries a failed request', async () => {
    const api = new FakeApi();
    api.fail = 1;
    const sync = new DhcpPortSync(viewOf([network(), subnet()]), api, { logger, coalesceMs: 0, retryMs: 5 });
    sync.start();
    await sync.settled();
    await new Promise((r) => setTimeout(r, 50));
    await sync.settled();
    expect(api.calls).toEqual([`create ${NET}`, `create ${NET}`]);
    expect(sync.made.create).toBe(1);
    await sync.stop();
  });
});
