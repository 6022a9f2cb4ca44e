import { ev, floatingIp, port, routerLog, router, scheduled, ROUTER, HOST } from '../__fixtures__/l3-log';
import { L3View } from '../view/l3-view';
import { l3Desired, type L3DesiredSettings } from './l3-desired';

const cfg: L3DesiredSettings = { netnsPrefix: '', enableMetadataProxy: true, haConfsDir: '/var/lib/neutron/ha_confs', keepalivedBin: 'keepalived' };
const HA_NET = 'aaaaaaaa-0000-4000-8000-00000000000a';
const HA_SUBNET = 'aaaaaaaa-0000-4000-8000-00000000000b';
const HA_PORT = 'dbf90435-cf00-4000-8000-000000000001';
const HA_PORT_2 = 'a8675ca3-7200-4000-8000-000000000002';

/** The router of spec/l3.md §2.2 made HA and scheduled to network1 and network2, each with its HA port. */
const haLog = () => [
  ...routerLog().filter((e) => e.type !== 'router.created' && e.type !== 'router.scheduled'),
  router(ROUTER, { ha: true }),
  ev('network.created', 'network', HA_NET, { network: { id: HA_NET, tenant_id: '', project_id: '', admin_state_up: true, mtu: 1450, subnets: [], 'provider:network_type': 'vxlan' } }),
  ev('subnet.created', 'subnet', HA_SUBNET, { subnet: { id: HA_SUBNET, network_id: HA_NET, ip_version: 4, cidr: '169.254.192.0/18', gateway_ip: null } }),
  port(HA_PORT, HA_NET, 'fa:16:3e:00:00:aa', [[HA_SUBNET, '169.254.192.2']], { device_owner: 'network:router_ha_interface', device_id: ROUTER, 'binding:host_id': 'network1' }),
  port(HA_PORT_2, HA_NET, 'fa:16:3e:00:00:bb', [[HA_SUBNET, '169.254.192.3']], { device_owner: 'network:router_ha_interface', device_id: ROUTER, 'binding:host_id': 'network2' }),
  scheduled(ROUTER, ['network1', 'network2']),
  floatingIp(),
];
const viewOf = (host = HOST, events = haLog()) => {
  const v = new L3View(host);
  for (const e of events) v.apply(e);
  return v;
};

describe('HA routers (golden, spec/l3.md §3)', () => {
  it('renders keepalived.conf of §3.3 (VRID 1, VIP on ha-, excluded addresses sorted, default route) and runs keepalived in the namespace', () => {
    const d = l3Desired(viewOf(), cfg);
    expect(d.processes).toHaveLength(1);
    const p = d.processes[0];
    expect(p).toMatchObject({ id: `keepalived-${ROUTER}`, netns: `qrouter-${ROUTER}`, reloadSignal: 'SIGHUP', daemonizes: true, pidFile: `/var/lib/neutron/ha_confs/${ROUTER}/keepalived.pid` });
    expect(p.argv.slice(0, 4)).toEqual(['keepalived', '-P', '-f', `/var/lib/neutron/ha_confs/${ROUTER}/keepalived.conf`]);
    expect(p.files![0].content).toBe(`vrrp_instance VR_1 {
    state BACKUP
    interface ha-dbf90435-cf
    virtual_router_id 1
    priority 50
    nopreempt
    advert_int 2
    track_interface {
        ha-dbf90435-cf
    }
    virtual_ipaddress {
        169.254.0.1/24 dev ha-dbf90435-cf
    }
    virtual_ipaddress_excluded {
        10.30.0.1/24 dev qr-24b55e34-22
        10.50.0.100/24 dev qg-df73484e-8b
        10.50.0.101/32 dev qg-df73484e-8b
    }
    virtual_routes {
        0.0.0.0/0 via 10.50.0.1 dev qg-df73484e-8b
    }
}
`);
  });

  it('the other member differs only in its ha- device', () => {
    const a = l3Desired(viewOf(), cfg).processes[0].files![0].content;
    const b = l3Desired(viewOf('network2'), cfg).processes[0].files![0].content;
    expect(b).toBe(a.replace(/ha-dbf90435-cf/g, 'ha-a8675ca3-72'));
  });

  it('leaves qr-/qg- addresses and the routes to keepalived: declared foreign, only the ha- address is ours', () => {
    const d = l3Desired(viewOf(), cfg);
    const link = (name: string) => d.links.find((l) => l.name === name)!;
    expect(link('qr-24b55e34-22')).toMatchObject({ addresses: [], foreignAddresses: ['10.30.0.1/24'] });
    expect(link('qg-df73484e-8b')).toMatchObject({ addresses: [], foreignAddresses: ['10.50.0.100/24', '10.50.0.101/32'] });
    expect(link('ha-dbf90435-cf')).toMatchObject({ addresses: ['169.254.192.2/18'], foreignAddresses: ['169.254.0.1/24'], mac: 'fa:16:3e:00:00:aa' });
    expect(d.routes).toEqual([{ netns: `qrouter-${ROUTER}`, dst: '0.0.0.0/0', via: '10.50.0.1', dev: 'qg-df73484e-8b', external: true }]);
  });

  it('gives each HA router of a project the lowest free VRID, stable when an earlier one goes', () => {
    const R2 = 'bc2a45f6-0000-4000-8000-000000000002';
    const R3 = 'bc2a45f6-0000-4000-8000-000000000003';
    const v = viewOf(HOST, [...haLog(), router(R2, { ha: true }), router(R3, { ha: true })]);
    expect([v.vrids.get(ROUTER), v.vrids.get(R2), v.vrids.get(R3)]).toEqual([1, 2, 3]);
    v.apply(ev('router.deleted', 'router', R2, { router_id: R2 }));
    v.apply(router('bc2a45f6-0000-4000-8000-000000000004', { ha: true }));
    expect([v.vrids.get(R3), v.vrids.get('bc2a45f6-0000-4000-8000-000000000004')]).toEqual([3, 2]);
  });

  it('waits for this host\'s HA port before configuring an HA router', () => {
    const log = haLog().filter((e) => e.aggregate.id !== HA_PORT);
    expect(l3Desired(viewOf(HOST, log), cfg).namespaces).toEqual([]);
  });
});
