import { ev, haLog, router, HA_PORT, ROUTER, HOST } from '../__fixtures__/l3-log';
import { L3View } from '../view/l3-view';
import { l3Desired, type L3DesiredSettings } from './l3-desired';

const cfg: L3DesiredSettings = { netnsPrefix: '', enableMetadataProxy: true, haConfsDir: '/var/lib/neutron/ha_confs', keepalivedBin: 'keepalived', ipsecDir: '/var/lib/neutron/ipsec', starterBin: '/usr/lib/ipsec/starter' };
const viewOf = (host = HOST, events = haLog()) => {
  const v = new L3View(host);
  for (const e of events) v.apply(e);
  return v;
};

describe('HA routers (golden, spec/l3.md §3)', () => {
  it('renders keepalived.conf of §3.3 plus garp_master_delay 1 (see GARP_MASTER_DELAY) (VRID 1, VIP on ha-, excluded addresses sorted, default route) and runs keepalived in the namespace', () => {
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
    garp_master_delay 1
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
