import type { StoredEvent } from '@neutrino/events';
import type { L2Config } from '../config/l2-config';

/**
 * Random but realistic logs for the l2-agent's view (a seeded generator: a failing seed replays):
 * a few networks (VXLAN, two flat ones sharing a physnet, a VLAN one the host cannot carry), ports
 * on three hosts (instances, DHCP servers, router interfaces and gateways), security groups whose
 * rules match remote groups, address groups and prefixes of both ethertypes, routers scheduled to hosts, VTEPs that
 * move — and the events the agent must ignore (status reports, names, subnets, ipam, other agents).
 * Each event is valid for the state the log has reached (an update names a port that exists …).
 */
export const HOST = 'compute1';
export const CFG: L2Config = {
  host: HOST, hostNetns: '', netnsPrefix: '', physicalInterfaceMappings: { physnet1: 'eth2', physnet2: 'eth3' }, bridgeMappings: {},
  localIp: '172.18.0.101', tunnelInterface: 'eth1', vxlanPort: 8472, driver: 'memory', mechanism: 'linuxbridge', ovsRunDir: '', ovsDatapathType: 'netdev',
};
const HOSTS = [HOST, HOST, 'compute2', 'network1'];
const VTEPS: Record<string, string[]> = { compute1: ['172.18.0.101'], compute2: ['172.18.0.102', '172.18.0.112'], network1: ['172.18.0.103', '172.18.0.113'] };
const uuid = (kind: number, i: number) => `${kind.toString(16).padStart(2, '0')}${i.toString(16).padStart(6, '0')}-0000-4000-8000-${(kind * 1000 + i).toString().padStart(12, '0')}`;
const NETWORKS = [
  { id: uuid(1, 1), type: 'vxlan', physnet: null, seg: 101 },
  { id: uuid(1, 2), type: 'vxlan', physnet: null, seg: 102 },
  { id: uuid(1, 3), type: 'flat', physnet: 'physnet1', seg: null },
  { id: uuid(1, 4), type: 'flat', physnet: 'physnet1', seg: null },
  { id: uuid(1, 5), type: 'flat', physnet: 'physnet2', seg: null },
  { id: uuid(1, 6), type: 'vlan', physnet: 'physnet1', seg: 7 },
];
const PORTS = Array.from({ length: 12 }, (_, i) => uuid(2, i + 1));
const GROUPS = [uuid(3, 1), uuid(3, 2), uuid(3, 3)];
const ROUTERS = [uuid(4, 1), uuid(4, 2)];
const ADDRESS_GROUPS = [uuid(5, 1), uuid(5, 2)];
const AG_ADDRESSES = ['10.0.0.11/32', '10.5.0.0/16', '0.0.0.0/0', 'fd00::/64', '2001:db8::5/128'];
const QOS = [uuid(6, 1), uuid(6, 2)];
const OWNERS = ['compute:nova', 'compute:nova', 'compute:nova', 'network:dhcp', 'network:router_interface', 'network:router_gateway', ''];

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const some = <T>(r: Rand, xs: readonly T[], p = 0.4): T[] => xs.filter(() => r() < p);

export class L2LogGenerator {
  private seq = 0;
  private readonly networks = new Set<string>();
  private readonly ports = new Map<string, { network: string }>();
  private readonly groups = new Map<string, string[]>();
  private ruleSeq = 0;
  /** address group → its addresses */
  private readonly addressGroups = new Map<string, string[]>();
  /** QoS policy → its rules (id, type, direction) */
  private readonly qosRules = new Map<string, Array<{ id: string; key: string }>>();

  constructor(private readonly r: Rand) {}

  /** A log of `n` events (the first ones build some topology so the rest has something to change). */
  log(n: number): StoredEvent[] {
    const out: StoredEvent[] = [];
    for (const h of Object.keys(VTEPS)) out.push(this.agent(h, VTEPS[h][0]));
    while (out.length < n) out.push(this.next());
    return out;
  }

  next(): StoredEvent {
    const r = this.r;
    for (;;) {
      const x = r();
      if (x < 0.1) {
        const n = pick(r, NETWORKS);
        if (!this.networks.has(n.id)) return this.networkCreated(n);
        if (r() < 0.3) return this.ev('network.updated', 'network', n.id, { changes: { mtu: pick(r, [1400, 1450, 1500]) } });
        if (r() < 0.3) return this.ev('network.updated', 'network', n.id, { changes: { name: `n${this.seq}` } }); // irrelevant
        if (r() < 0.3) return this.ev('network.subnet_added', 'network', n.id, { network_id: n.id, subnet_id: subnetOf(n.id, 4), cidr: '10.0.0.0/24' }); // irrelevant
        if (r() < 0.4) return this.networkDeleted(n.id);
      } else if (x < 0.45) {
        const id = pick(r, PORTS);
        if (!this.ports.has(id)) return this.portCreated(id);
        if (r() < 0.1) return this.portDeleted(id);
        return this.portUpdated(id);
      } else if (x < 0.65) {
        const g = pick(r, GROUPS);
        const rules = this.groups.get(g);
        if (!rules) return this.groupCreated(g);
        const y = r();
        if (y < 0.45) return this.ruleAdded(g);
        if (y < 0.75 && rules.length) {
          const rule = pick(r, rules);
          this.groups.set(g, rules.filter((x) => x !== rule));
          return this.ev('security_group.rule_removed', 'security_group', g, { rule_id: rule, security_group_id: g });
        }
        if (y < 0.82) return this.ev('security_group.updated', 'security_group', g, { changes: { name: `g${this.seq}` } }); // irrelevant
        // stateful-security-group: the API refuses it while ports use the group, the agent must follow it all the same
        if (y < 0.9) return this.ev('security_group.updated', 'security_group', g, { changes: { stateful: r() < 0.5 } });
        this.groups.delete(g);
        return this.ev('security_group.deleted', 'security_group', g, { security_group_id: g });
      } else if (x < 0.78) {
        const id = pick(r, ROUTERS);
        const y = r();
        if (y < 0.6) return this.ev('router.scheduled', 'router', id, { router_id: id, hosts: some(r, [HOST, 'network1', 'compute2'], 0.5) });
        if (y < 0.8) return this.ev('router.updated', 'router', id, { changes: { name: `r${this.seq}` } }); // irrelevant
        return this.ev('router.deleted', 'router', id, { router_id: id });
      } else if (x < 0.85) {
        const h = pick(r, ['compute2', 'network1']);
        return this.agent(h, pick(r, VTEPS[h]));
      } else if (x < 0.9) {
        return this.ev('agent.registered', 'agent', `l3-${this.seq}`, { agent: { host: HOST, binary: 'neutrino-l3-agent', configurations: {} } }); // irrelevant
      } else if (x < 0.93) {
        return this.addressGroupEvent(pick(r, ADDRESS_GROUPS));
      } else if (x < 0.96) {
        const n = pick(r, NETWORKS);
        const s = subnetOf(n.id, 4);
        return this.ev('subnet.created', 'subnet', s, { subnet: { id: s, network_id: n.id, ip_version: 4, cidr: '10.0.0.0/24' } }); // irrelevant
      } else if (x < 0.975) {
        return this.qos();
      } else {
        const n = pick(r, NETWORKS);
        const port = pick(r, PORTS);
        return this.ev('ip.allocated', 'ipam', subnetOf(n.id, 4), { subnet_id: subnetOf(n.id, 4), network_id: n.id, ip_address: '10.0.0.9', port_id: port }); // irrelevant
      }
    }
  }

  /** An address group made, its addresses added or removed, renamed (irrelevant), or deleted (even while rules name it: the agent must cope). */
  private addressGroupEvent(id: string): StoredEvent {
    const r = this.r;
    const addrs = this.addressGroups.get(id);
    if (!addrs) {
      const addresses = some(r, AG_ADDRESSES);
      this.addressGroups.set(id, addresses);
      return this.ev('address_group.created', 'address_group', id, { address_group: { id, name: 'ag', description: '', project_id: 'p', tenant_id: 'p', addresses, shared: false, created_at: 'x', updated_at: 'x', revision_number: 0 } });
    }
    const y = r();
    const absent = AG_ADDRESSES.filter((a) => !addrs.includes(a));
    if (y < 0.4 && absent.length) {
      const add = [pick(r, absent)];
      this.addressGroups.set(id, [...addrs, ...add]);
      return this.ev('address_group.addresses_added', 'address_group', id, { address_group_id: id, addresses: add });
    }
    if (y < 0.75 && addrs.length) {
      const gone = [pick(r, addrs)];
      this.addressGroups.set(id, addrs.filter((a) => !gone.includes(a)));
      return this.ev('address_group.addresses_removed', 'address_group', id, { address_group_id: id, addresses: gone });
    }
    if (y < 0.9) return this.ev('address_group.updated', 'address_group', id, { address_group_id: id, changes: { name: `ag${this.seq}` } }); // irrelevant
    this.addressGroups.delete(id);
    return this.ev('address_group.deleted', 'address_group', id, { address_group_id: id });
  }

  private ev(type: string, aggregate: string, id: string, data: unknown): StoredEvent {
    const seq = ++this.seq;
    return {
      id: `e${seq}`, seq, subject: `evt.${aggregate}.${id}`, type, schema: 1, aggregate: { type: aggregate, id }, at: '2026-01-01T00:00:00Z',
      actor: { user_id: null, project_id: 'p', roles: [] }, request_id: null, causation_id: null, data,
    };
  }

  private agent(host: string, ip: string): StoredEvent {
    return this.ev('agent.registered', 'agent', `l2-${host}`, { agent: { host, binary: 'neutrino-linuxbridge-agent', configurations: { tunneling_ip: ip } } });
  }

  private networkCreated(n: (typeof NETWORKS)[number]): StoredEvent {
    this.networks.add(n.id);
    return this.ev('network.created', 'network', n.id, {
      network: { id: n.id, name: '', mtu: n.type === 'vxlan' ? 1450 : 1500, subnets: [], 'provider:network_type': n.type, 'provider:physical_network': n.physnet, 'provider:segmentation_id': n.seg, shared: false, 'router:external': false },
    });
  }

  private networkDeleted(id: string): StoredEvent {
    this.networks.delete(id);
    return this.ev('network.deleted', 'network', id, { network_id: id });
  }

  private fixedIps(network: string) {
    const r = this.r;
    const k = NETWORKS.findIndex((n) => n.id === network) + 1;
    const ips = [{ subnet_id: subnetOf(network, 4), ip_address: `10.${k}.0.${1 + Math.floor(r() * 6)}` }];
    if (r() < 0.3) ips.push({ subnet_id: subnetOf(network, 6), ip_address: `fd00:${k}::${1 + Math.floor(r() * 6)}` });
    return r() < 0.1 ? [] : ips;
  }

  private pairs() {
    const r = this.r;
    return some(r, ['10.9.0.1', '10.9.0.2/31', 'fd00:9::1'], 0.15).map((ip_address) => ({ ip_address, mac_address: r() < 0.5 ? 'fa:16:3e:aa:bb:cc' : '' }));
  }

  private portCreated(id: string): StoredEvent {
    const r = this.r;
    const network = pick(r, NETWORKS).id;
    this.ports.set(id, { network });
    const owner = pick(r, OWNERS);
    const trusted = owner.startsWith('network:');
    return this.ev('port.created', 'port', id, {
      port: {
        id, network_id: network, mac_address: `fa:16:3e:00:${(PORTS.indexOf(id) + 1).toString(16).padStart(2, '0')}:${Math.floor(r() * 256).toString(16).padStart(2, '0')}`,
        'binding:host_id': pick(r, [...HOSTS, '']), device_owner: owner, device_id: owner.startsWith('network:router') ? pick(r, ROUTERS) : owner === 'network:dhcp' ? `dhcp-${network}` : 'vm',
        admin_state_up: r() < 0.9, status: 'DOWN', fixed_ips: this.fixedIps(network), security_groups: trusted ? [] : some(r, GROUPS),
        port_security_enabled: trusted ? false : r() < 0.85, allowed_address_pairs: trusted ? [] : this.pairs(), 'binding:vif_type': 'unbound',
      },
    });
  }

  private portDeleted(id: string): StoredEvent {
    const { network } = this.ports.get(id)!;
    this.ports.delete(id);
    return this.ev('port.deleted', 'port', id, { port_id: id, network_id: network, fixed_ips: [], mac_address: '' });
  }

  private portUpdated(id: string): StoredEvent {
    const r = this.r;
    const port = this.ports.get(id)!;
    const changes: Record<string, unknown> = {};
    const y = r();
    if (y < 0.15) changes.status = pick(r, ['ACTIVE', 'DOWN']); // irrelevant (what the agent reports)
    else if (y < 0.3) changes.allowed_address_pairs = this.pairs();
    else if (y < 0.45) changes.security_groups = some(r, GROUPS);
    else if (y < 0.55) changes.fixed_ips = this.fixedIps(port.network);
    else if (y < 0.68) changes['binding:host_id'] = pick(r, [...HOSTS, '']);
    else if (y < 0.76) changes.port_security_enabled = r() < 0.5;
    else if (y < 0.84) changes.admin_state_up = r() < 0.5;
    else if (y < 0.94) {
      // a router interface added by port (or removed), a DHCP port taken over: the owner alone changes
      const owner = pick(r, OWNERS);
      Object.assign(changes, { device_owner: owner, device_id: owner.startsWith('network:router') ? pick(r, ROUTERS) : owner === 'network:dhcp' ? `dhcp-${port.network}` : 'vm' });
    }
    else changes.name = `p${this.seq}`; // irrelevant
    return this.ev('port.updated', 'port', id, { changes });
  }

  /** QoS: policies and their rules (one per type and direction), ports' and networks' policies. */
  private qos(): StoredEvent {
    const r = this.r;
    const id = pick(r, QOS);
    const rules = this.qosRules.get(id);
    if (!rules) {
      this.qosRules.set(id, []);
      return this.ev('qos_policy.created', 'qos_policy', id, {
        policy: { id, name: 'q', description: '', tenant_id: 'p', project_id: 'p', shared: false, is_default: false, tags: [], rules: [], created_at: 'x', updated_at: 'x', revision_number: 0 },
      });
    }
    const y = r();
    const ports = [...this.ports.keys()];
    if (y < 0.3 && ports.length) return this.ev('port.updated', 'port', pick(r, ports), { changes: { qos_policy_id: r() < 0.7 ? id : null } });
    const nets = [...this.networks];
    if (y < 0.4 && nets.length) return this.ev('network.updated', 'network', pick(r, nets), { changes: { qos_policy_id: r() < 0.7 ? id : null } });
    if (y < 0.5) return this.ev('qos_policy.updated', 'qos_policy', id, { policy_id: id, changes: { name: `q${this.seq}` } }); // irrelevant
    const key = pick(r, ['bandwidth_limit/egress', 'bandwidth_limit/ingress', 'dscp_marking']);
    const has = rules.find((x) => x.key === key);
    if (!has) {
      const rid = `${id.slice(0, 8)}-r${++this.ruleSeq}`;
      rules.push({ id: rid, key });
      const [type, direction] = key.split('/');
      const rule = type === 'dscp_marking'
        ? { id: rid, type, dscp_mark: pick(r, [10, 14, 26, 46]) }
        : { id: rid, type, direction, max_kbps: pick(r, [1000, 2000, 8000]), max_burst_kbps: pick(r, [0, 0, 500]) };
      return this.ev('qos_policy.rule_added', 'qos_policy', id, { policy_id: id, rule });
    }
    if (r() < 0.5) {
      this.qosRules.set(id, rules.filter((x) => x !== has));
      return this.ev('qos_policy.rule_removed', 'qos_policy', id, { policy_id: id, rule_id: has.id });
    }
    const changes = key === 'dscp_marking' ? { dscp_mark: pick(r, [0, 18, 34]) } : { max_kbps: pick(r, [500, 3000]) };
    return this.ev('qos_policy.rule_updated', 'qos_policy', id, { policy_id: id, rule_id: has.id, changes });
  }

  private groupCreated(g: string): StoredEvent {
    const rules = Array.from({ length: Math.floor(this.r() * 3) }, () => this.rule(g));
    this.groups.set(g, rules.map((x) => x.id));
    return this.ev('security_group.created', 'security_group', g, { security_group: { id: g, name: 'g', stateful: this.r() < 0.7, description: '', security_group_rules: rules } });
  }

  private ruleAdded(g: string): StoredEvent {
    const rule = this.rule(g);
    this.groups.get(g)!.push(rule.id);
    return this.ev('security_group.rule_added', 'security_group', g, { rule });
  }

  private rule(g: string) {
    const r = this.r;
    const ethertype = pick(r, ['IPv4', 'IPv6'] as const);
    const protocol = pick(r, [null, 'tcp', 'udp', 'icmp', '6']);
    const ranged = protocol === 'tcp' || protocol === 'udp' || protocol === '6';
    const min = ranged ? pick(r, [22, 80, 1000]) : protocol === 'icmp' ? 8 : null;
    const remoteGroup = r() < 0.5 ? pick(r, GROUPS) : null;
    const remoteAddressGroup = !remoteGroup && r() < 0.4 ? pick(r, ADDRESS_GROUPS) : null;
    return {
      id: `${(++this.ruleSeq).toString(16).padStart(8, '0')}-1111-4000-8000-000000000000`, security_group_id: g, direction: pick(r, ['ingress', 'egress']), ethertype, protocol,
      port_range_min: min, port_range_max: ranged && r() < 0.5 ? min! + 10 : min, remote_group_id: remoteGroup,
      remote_address_group_id: remoteAddressGroup,
      remote_ip_prefix: remoteGroup || remoteAddressGroup || r() < 0.5 ? null : ethertype === 'IPv4' ? '192.168.0.0/16' : 'fd00::/8', description: '',
    };
  }
}

const subnetOf = (network: string, version: 4 | 6) => `${network.slice(0, 8)}-5b${version}0-4000-8000-000000000000`;

/**
 * The log shuffled but for the order of each aggregate's own events (they are not independent of
 * each other; events of different aggregates are): a random interleaving of the per-aggregate sequences.
 */
export function interleave(log: StoredEvent[], r: Rand): StoredEvent[] {
  const queues = new Map<string, StoredEvent[]>();
  for (const e of log) {
    const k = e.subject;
    queues.set(k, [...(queues.get(k) ?? []), e]);
  }
  const out: StoredEvent[] = [];
  const open = [...queues.values()];
  while (open.length) {
    const i = Math.floor(r() * open.length);
    out.push(open[i].shift()!);
    if (!open[i].length) open.splice(i, 1);
  }
  return out;
}
