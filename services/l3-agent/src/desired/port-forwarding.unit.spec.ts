import { renderIptablesSave } from '@neutrino/dataplane';
import { FIP, HOST, ROUTER, VM_PORT, ev, floatingIp, routerLog } from '../__fixtures__/l3-log';
import { L3View } from '../view/l3-view';
import { l3Desired, type L3DesiredSettings } from './l3-desired';
import { extractPorts } from './port-forwarding';
import { flowGuard } from './nat-rules';
import { routerPlans } from './l3-desired';

const cfg: L3DesiredSettings = { netnsPrefix: '', enableMetadataProxy: true, haConfsDir: '/var/lib/neutrino/l3/ha_confs', keepalivedBin: 'keepalived', ipsecDir: '/var/lib/neutron/ipsec', starterBin: '/usr/lib/ipsec/starter' };
const PF = 'a7c3e1f2-9b8d-4c6e-8f00-000000000222';
const PF2 = '0b5d7e9a-1c2e-4f60-8a00-000000000333';
const pf = (id: string, extra: object = {}) => ({
  id, floatingip_id: FIP, project_id: 'p', protocol: 'tcp', internal_port_id: VM_PORT, internal_ip_address: '10.30.0.3', internal_port_range: '22:22', external_port_range: '2222:2222', description: '', ...extra,
});
const forwardingFip = () => floatingIp(FIP, '10.50.0.101', null, null, null);
const pfCreated = (p: ReturnType<typeof pf>) => ev('floatingip.port_forwarding_created', 'floatingip', FIP, { floatingip_id: FIP, port_forwarding: p, router_id: ROUTER });
const viewOf = (events: ReturnType<typeof routerLog>) => {
  const v = new L3View(HOST);
  for (const e of events) v.apply(e);
  return v;
};
const natLines = (events: ReturnType<typeof routerLog>) =>
  renderIptablesSave(l3Desired(viewOf(events), cfg).iptables.find((t) => t.table === 'nat')!).split('\n').filter((l) => /fip-pf|l3-agent-pf-/.test(l));

describe('port forwarding in the router namespace (Neutron\'s l3 agent port_forwarding extension)', () => {
  it('renders fip-pf and one pf-<id[:8]> chain per forwarding, in id order (golden)', () => {
    const lines = natLines([...routerLog(), forwardingFip(), pfCreated(pf(PF)), pfCreated(pf(PF2, { protocol: 'udp', internal_port_range: '53:53', external_port_range: '5353:5353' }))]);
    expect(lines).toEqual([
      ':neutron-l3-agent-fip-pf - [0:0]',
      ':neutron-l3-agent-pf-0b5d7e9a - [0:0]',
      ':neutron-l3-agent-pf-a7c3e1f2 - [0:0]',
      '-A neutron-l3-agent-PREROUTING -j neutron-l3-agent-fip-pf',
      '-A neutron-l3-agent-fip-pf -j neutron-l3-agent-pf-0b5d7e9a',
      '-A neutron-l3-agent-fip-pf -j neutron-l3-agent-pf-a7c3e1f2',
      '-A neutron-l3-agent-pf-0b5d7e9a -d 10.50.0.101/32 -p udp -m udp --dport 5353 -j DNAT --to-destination 10.30.0.3:53',
      '-A neutron-l3-agent-pf-a7c3e1f2 -d 10.50.0.101/32 -p tcp -m tcp --dport 2222 -j DNAT --to-destination 10.30.0.3:22',
    ].sort((a, b) => (a[0] === b[0] ? 0 : a[0] === ':' ? -1 : 1)));
  });

  it('puts the floating address on qg- and lets the forwarded flows through the FORWARD guard', () => {
    const view = viewOf([...routerLog(), forwardingFip(), pfCreated(pf(PF))]);
    const d = l3Desired(view, cfg);
    const qg = d.links.find((l) => l.name.startsWith('qg-') && l.netns === `qrouter-${ROUTER}`)!;
    expect(qg.addresses).toContain('10.50.0.101/32');
    expect(flowGuard(routerPlans(view, cfg)[0])).toContain('-m conntrack --ctstate DNAT --ctorigdst 10.50.0.101 --ctreplsrc 10.30.0.3 -j RETURN');
  });

  it('maps ranges as extract_ports does: N-N with the offset base, 1-N to one port', () => {
    expect(extractPorts('22:22', '2222:2222')).toEqual({ externalPorts: '2222', internalPorts: '22' });
    expect(extractPorts('60:70', '40:50')).toEqual({ externalPorts: '40:50', internalPorts: '60-70/40' });
    expect(extractPorts('300:300', '1300:1305')).toEqual({ externalPorts: '1300:1305', internalPorts: '300' });
  });

  it('renders nothing for icmp (no ports to match) and nothing without forwardings; a delete leaves the router as without any', () => {
    expect(natLines([...routerLog(), forwardingFip(), pfCreated(pf(PF, { protocol: 'icmp' }))])).toEqual([]);
    const before = l3Desired(viewOf([...routerLog(), forwardingFip(), pfCreated(pf(PF))]), cfg);
    const after = l3Desired(viewOf([...routerLog(), forwardingFip(), pfCreated(pf(PF)), ev('floatingip.port_forwarding_deleted', 'floatingip', FIP, { floatingip_id: FIP, port_forwarding_ids: [PF], router_id: null })]), cfg);
    // after the delete the router is as if it never had a forwarding (chains, addresses, guard)
    expect(after).toEqual(l3Desired(viewOf([...routerLog(), forwardingFip()]), cfg));
    expect(after).not.toEqual(before);
    // the replay of the whole log equals the event-by-event view
    expect(l3Desired(viewOf([...routerLog(), forwardingFip(), pfCreated(pf(PF))]), cfg)).toEqual(before);
  });
});
