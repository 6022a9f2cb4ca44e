import type { StoredEvent } from '@neutrino/events';
import { LB_ID, VIP_PORT_ID, lb, listener, specTree } from '../__fixtures__/tree';
import { LbaasView } from '../view/lbaas-view';
import { CheckedConfigs, lbaasDesired, type LbaasDesiredSettings } from './lbaas-desired';

const cfg: LbaasDesiredSettings = { netnsPrefix: '', confRoot: '/data/lbaas/v2', haproxyBin: 'haproxy', userGroup: 'nogroup' };

function viewWith(tree = specTree()): LbaasView {
  const v = new LbaasView('network1');
  v.trees.set(tree.loadbalancer.id, tree);
  v.ports.set(VIP_PORT_ID, { id: VIP_PORT_ID, mac_address: 'fa:16:3e:00:00:09', network_id: 'net-1', device_owner: 'neutron:LOADBALANCERV2', fixed_ips: [{ subnet_id: 'subnet-1', ip_address: '10.30.0.9' }] } as never);
  v.subnets.set('subnet-1', { id: 'subnet-1', cidr: '10.30.0.0/24', gateway_ip: '10.30.0.1', ip_version: 4, network_id: 'net-1' } as never);
  v.networks.set('net-1', { id: 'net-1', mtu: 1450 } as never);
  return v;
}
const accept = () => new CheckedConfigs(() => null);

describe('lbaasDesired', () => {
  it('a qlbaas- namespace with lo, the VIP veth (MAC, <vip>/<prefix>), the default route and one master-worker HAProxy', () => {
    const { state, plans } = lbaasDesired(viewWith(), cfg, accept());
    const ns = `qlbaas-${LB_ID}`;
    expect(state.namespaces).toEqual([{ name: ns }]);
    expect(state.links).toEqual([
      { netns: ns, name: 'lo', kind: 'external', up: true },
      { name: 'tap5e234421-01', kind: 'veth', peer: { name: 'ns-5e234421-01', netns: ns }, up: true, mtu: 1450 },
      { netns: ns, name: 'ns-5e234421-01', kind: 'veth', peer: { name: 'tap5e234421-01' }, up: true, mtu: 1450, mac: 'fa:16:3e:00:00:09', addresses: ['10.30.0.9/24'] },
    ]);
    expect(state.routes).toEqual([{ netns: ns, dst: '0.0.0.0/0', via: '10.30.0.1', dev: 'ns-5e234421-01' }]);
    expect(state.processes).toHaveLength(1);
    const p = state.processes[0];
    const dir = `/data/lbaas/v2/${LB_ID}`;
    expect(p).toMatchObject({ id: `haproxy-${LB_ID}`, netns: ns, argv: ['haproxy', '-W', '-D', '-f', `${dir}/haproxy.conf`, '-p', `${dir}/pid`], pidFile: `${dir}/pid`, reloadSignal: 'SIGUSR2', daemonizes: true });
    expect(p.files![0].path).toBe(`${dir}/haproxy.conf`);
    expect(p.files![0].content).toContain(`stats socket ${dir}/sock mode 0666 level user`);
    expect(plans).toEqual([{ id: LB_ID, version: 1, netns: ns }]);
  });

  it('no listener: namespace and device only', () => {
    const { state } = lbaasDesired(viewWith(specTree({ listeners: [] })), cfg, accept());
    expect(state.namespaces).toHaveLength(1);
    expect(state.processes).toEqual([]);
  });

  it('load balancers of other hosts and those being deleted are not here; one whose VIP port is unknown waits', () => {
    expect(lbaasDesired(viewWith(specTree({ loadbalancer: lb({ host: 'network2' }) })), cfg, accept()).plans).toEqual([]);
    const deleting = lbaasDesired(viewWith(specTree({ loadbalancer: lb({ provisioning_status: 'PENDING_DELETE' }) })), cfg, accept());
    expect(deleting.state.namespaces).toEqual([]);
    expect(deleting.plans).toEqual([]);
    const v = viewWith();
    v.ports.clear();
    const waiting = lbaasDesired(v, cfg, accept());
    expect(waiting.state.namespaces).toEqual([]);
    expect(waiting.plans[0].waiting).toContain(VIP_PORT_ID);
  });

  it('a config HAProxy refuses is not run: the last accepted one stays, and the refusal is in the plan', () => {
    const checked = new CheckedConfigs((config) => (config.includes('bind 10.30.0.9:81') ? 'bad' : null));
    const good = lbaasDesired(viewWith(), cfg, checked).state.processes[0].files![0].content;
    const { state, plans } = lbaasDesired(viewWith(specTree({ loadbalancer: lb({ config_version: 2 }), listeners: [listener({ protocol_port: 81 })] })), cfg, checked);
    expect(state.processes[0].files![0].content).toBe(good);
    expect(plans[0]).toMatchObject({ version: 2, refused: 'bad' });
    const fresh = lbaasDesired(viewWith(specTree({ listeners: [listener({ protocol_port: 81 })] })), cfg, new CheckedConfigs(() => 'bad'));
    expect(fresh.state.processes).toEqual([]);
    expect(fresh.state.namespaces).toHaveLength(1);
  });
});

const ev = (seq: number, type: string, aggregate: { type: string; id: string }, data: unknown): StoredEvent =>
  ({ seq, type, aggregate, data, at: '2026-01-01T00:00:00Z', actor: { user_id: 'u', project_id: 'p1', roles: [] }, request_id: null, causation_id: null, schema_version: 1 }) as unknown as StoredEvent;

describe('LbaasView', () => {
  it('folds the trees of this host, keeps their last sequence, and only VIP ports', () => {
    const v = new LbaasView('network1');
    expect(v.apply(ev(1, 'loadbalancer.created', { type: 'loadbalancer', id: LB_ID }, { loadbalancer: lb() }))).toBe(true);
    expect(v.apply(ev(2, 'loadbalancer.created', { type: 'loadbalancer', id: 'other' }, { loadbalancer: lb({ id: 'other', host: 'network2' }) }))).toBe(false);
    expect(v.hosted().map((t) => t.loadbalancer.id)).toEqual([LB_ID]);
    expect(v.lastSeq.get(LB_ID)).toBe(1);
    expect(v.apply(ev(3, 'listener.created', { type: 'loadbalancer', id: LB_ID }, { listener: listener() }))).toBe(true);
    expect(v.trees.get(LB_ID)!.listeners).toHaveLength(1);
    expect(v.lastSeq.get(LB_ID)).toBe(3);
    expect(v.apply(ev(4, 'port.created', { type: 'port', id: 'p-x' }, { port: { id: 'p-x', device_owner: 'compute:nova', mac_address: 'm', fixed_ips: [], network_id: 'n' } }))).toBe(false);
    expect(v.ports.size).toBe(0);
    expect(v.apply(ev(5, 'loadbalancer.deleted', { type: 'loadbalancer', id: LB_ID }, { loadbalancer_id: LB_ID }))).toBe(true);
    expect(v.trees.size).toBe(1);
    expect(v.lastSeq.has(LB_ID)).toBe(false);
  });
});
