import type { BulkBatch } from './bulk/decider';
import type { QuotaClaim } from './quota/decider';
import type { QuotaLimits } from './quota/limits';
import type { AddressScope } from './address-scope/model';
import type { AddressGroup } from './address-group/model';
import type { QosPolicy, QosRule } from './qos/model';
import type { SubnetPool } from './subnetpool/model';
import type { SharedEntry } from './rbac/object-rbac';
import type { HealthMonitor, Listener, LoadBalancer, Member, Pool, V1HealthMonitor } from './loadbalancer/model';
import type { VpnKind, VpnKindMap, VpnStatusReport } from './vpn/model';
import type { SubPort, Trunk } from './trunk/model';
import type { FirewallGroup, FirewallPolicy, FirewallRule } from './firewall/model';
import type { PortForwarding } from './port-forwarding/model';
import type { FixedIp, FloatingIp, Network, NetworkRbacEntry, NetworkType, Port, Router, SecurityGroup, SecurityGroupRule, Subnet } from './model';

/**
 * The domain events of the core API, past tense and dotted. Each event lives
 * on its aggregate's subject (evt.<aggregate>.<id>). `*.updated` carries only
 * the attributes that changed, with their new values; the read model bumps
 * revision_number and sets updated_at from the envelope's `at`.
 */
export interface CoreEventData {
  'network.created': { network: Network };
  'network.updated': { changes: Partial<Network> };
  'network.deleted': { network_id: string };
  /** An RBAC policy shares the network with one project (access_as_shared or access_as_external). */
  'network.rbac_added': { network_id: string; entry: NetworkRbacEntry };
  'network.rbac_updated': { network_id: string; policy_id: string; target_tenant: string };
  'network.rbac_removed': { network_id: string; policy_id: string };
  /**
   * A subnet (already recorded on its own subject) joins the network. Appended
   * with the network's expected sequence, so the subnets' CIDR checks per
   * network are serialized on the network's subject.
   */
  'network.subnet_added': { network_id: string; subnet_id: string; cidr: string };
  /**
   * A deletion of the network (`id` = the network's id) or of one of its
   * subnets begins: port creates on the network decide against it and join the
   * network's subject while it is pending. Ended by network.deleted /
   * subnet.deleted, or by network.deleting_cancelled (the deletion was refused).
   */
  'network.deleting': { network_id: string; id: string };
  'network.deleting_cancelled': { network_id: string; id: string };
  /** A port recorded while a deletion was pending joins the network, with the network's expected sequence. */
  'network.port_joined': { network_id: string; port_id: string };
  /** A subnet's deletion decided on the network's subject (no port holds it); subnet.deleted follows. */
  'network.subnet_removed': { network_id: string; subnet_id: string };
  'subnet.created': { subnet: Subnet };
  'subnet.updated': { changes: Partial<Subnet> };
  'subnet.deleted': { subnet_id: string; network_id: string };
  'port.created': { port: Port };
  'port.updated': { changes: Partial<Port> };
  /**
   * A floating IP (already recorded) takes one of the port's fixed IPs. Appended
   * with the port's expected sequence, so "one floating IP per fixed IP" is
   * serialized on the port's subject.
   */
  'port.floatingip_associated': { port_id: string; floatingip_id: string; fixed_ip_address: string; floating_network_id: string };
  /**
   * A port forwarding (already recorded on its floating IP) takes the port's address and port range.
   * Appended with the port's expected sequence, so its checks against the port's floating IPs and
   * the other forwardings to the port are serialized on the port's subject.
   */
  /** A trunk's parent or subport joins the port's subject (serializes with the port's delete). */
  'port.trunk_claimed': { port_id: string; trunk_id: string; role: 'parent' | 'subport' };
  'port.forwarding_claimed': { port_id: string; floatingip_id: string; port_forwarding_id: string; internal_ip_address: string };
  'port.deleted': { port_id: string; network_id: string; fixed_ips: FixedIp[]; mac_address: string };
  /** A group is created with its rules (two egress rules; the default group four). */
  'security_group.created': { security_group: SecurityGroup };
  'security_group.updated': { changes: Partial<Pick<SecurityGroup, 'name' | 'description' | 'tags'>> };
  'security_group.deleted': { security_group_id: string };
  /** Rules belong to the group's aggregate, so duplicate checks are serialized on its subject. */
  'security_group.rule_added': { rule: SecurityGroupRule };
  'security_group.rule_removed': { rule_id: string; security_group_id: string };
  /** L3 (evt.router.<id>): interfaces and the gateway are ports whose device_id is the router id. */
  'router.created': { router: Router };
  'router.updated': { changes: Partial<Router> };
  'router.deleted': { router_id: string };
  /**
   * An interface port (already recorded on its own subject) joins the router.
   * Appended with the router's expected sequence, so interface adds are
   * serialized on the router's subject: the duplicate-subnet and overlapping-CIDR
   * checks of concurrent adds see each other.
   */
  'router.interface_added': { router_id: string; port_id: string; subnet_ids: string[] };
  /** The l3-agent hosts that carry the router (one for legacy routers, two or more for HA). */
  'router.scheduled': { router_id: string; hosts: string[] };
  /** Reported by an l3-agent: its keepalived's VRRP state for an HA router. */
  'router.ha_state_reported': { router_id: string; host: string; ha_state: 'active' | 'standby' | 'unknown' };
  /** evt.floatingip.<id> */
  'floatingip.created': { floatingip: FloatingIp };
  'floatingip.updated': { changes: Partial<FloatingIp> };
  'floatingip.deleted': { floatingip_id: string };
  /**
   * Port forwardings belong to their floating IP's aggregate (the collisions of its external ports
   * are decided on its subject). `router_id`: the floating IP's router afterwards (set by the
   * first forwarding, cleared with the last, as Zed does).
   */
  'floatingip.port_forwarding_created': { floatingip_id: string; port_forwarding: PortForwarding; router_id: string };
  'floatingip.port_forwarding_updated': { floatingip_id: string; port_forwarding_id: string; changes: Partial<PortForwarding> };
  /** One or more (all those to a deleted port) at once. */
  'floatingip.port_forwarding_deleted': { floatingip_id: string; port_forwarding_ids: string[]; router_id: string | null };
  /**
   * Load balancing: every event of a load balancer's tree is on its subject,
   * evt.loadbalancer.<lb_id> (aggregateOf maps listener/pool/member/
   * healthmonitor there). A create, update or delete of an object bumps the
   * load balancer's config_version and marks the object (and the load balancer)
   * PENDING_*; the hosting agent's loadbalancer.provisioned for that version
   * turns them ACTIVE and drops the PENDING_DELETE children.
   */
  'loadbalancer.created': { loadbalancer: LoadBalancer };
  'loadbalancer.updated': { changes: Partial<LoadBalancer> };
  /** Marks the load balancer and its whole tree PENDING_DELETE (a cascade delete, or one without children). */
  'loadbalancer.deleting': { loadbalancer_id: string };
  /** Its agent removed the namespace, HAProxy and files (or it never had a dataplane): the aggregate ends. */
  'loadbalancer.deleted': { loadbalancer_id: string };
  /** The hosting agent applied the tree as of config_version `version`. */
  'loadbalancer.provisioned': { loadbalancer_id: string; host: string; version: number };
  /** The agent could not apply `version` (HAProxy refused its config): the pending objects become ERROR. */
  'loadbalancer.provisioning_failed': { loadbalancer_id: string; host: string; version: number; reason: string };
  /** Member health read from HAProxy's stats socket; only the members whose state changed. */
  'loadbalancer.health_reported': { loadbalancer_id: string; host: string; members: Record<string, 'ONLINE' | 'OFFLINE'> };
  'listener.created': { listener: Listener };
  'listener.updated': { listener_id: string; changes: Partial<Listener> };
  'listener.deleting': { listener_id: string };
  'pool.created': { pool: Pool };
  'pool.updated': { pool_id: string; changes: Partial<Pool> };
  /** The pool and its members and monitor go PENDING_DELETE. */
  'pool.deleting': { pool_id: string };
  'member.created': { member: Member };
  'member.updated': { member_id: string; changes: Partial<Member> };
  'member.deleting': { member_id: string };
  'healthmonitor.created': { healthmonitor: HealthMonitor };
  'healthmonitor.updated': { healthmonitor_id: string; changes: Partial<HealthMonitor> };
  'healthmonitor.deleting': { healthmonitor_id: string };
  /** LBaaS v1's standalone health monitor, evt.lbmonitor.<id> (a template; its pools' trees hold the monitors that run). */
  'lbmonitor.created': { monitor: V1HealthMonitor };
  'lbmonitor.updated': { monitor_id: string; changes: Partial<V1HealthMonitor> };
  'lbmonitor.deleted': { monitor_id: string };
  /**
   * VPNaaS: every VPN object of a project (IKE/IPsec policies, VPN services, site connections,
   * endpoint groups) on evt.vpn.<project_id>, so in-use checks are decided on one subject.
   */
  'vpn.object_created': { kind: VpnKind; object: VpnKindMap[VpnKind] };
  'vpn.object_updated': { kind: VpnKind; id: string; changes: Record<string, unknown> };
  'vpn.object_deleted': { kind: VpnKind; id: string };
  /** An l3-agent's strongSwan state for one router's VPN services and connections (only what changed). */
  'vpn.status_reported': VpnStatusReport;
  /** Trunks (trunk), all on evt.trunk.trunks: a port is in one trunk at most, decided on one subject. */
  'trunk.created': { trunk: Trunk };
  'trunk.updated': { id: string; changes: Partial<Pick<Trunk, 'name' | 'description' | 'admin_state_up'>> };
  'trunk.deleted': { id: string };
  'trunk.subports_added': { id: string; sub_ports: SubPort[] };
  'trunk.subports_removed': { id: string; port_ids: string[] };
  /**
   * FWaaS v2, all on evt.firewall.fwaas (one subject: the invariants cross
   * objects and projects). `*_updated` carries the changed attributes. A change
   * a fwaas-agent must apply bumps the affected groups' config_version (evolve).
   */
  'firewall.rule_created': { rule: FirewallRule };
  'firewall.rule_updated': { rule_id: string; changes: Partial<FirewallRule> };
  'firewall.rule_deleted': { rule_id: string };
  'firewall.policy_created': { policy: FirewallPolicy };
  'firewall.policy_updated': { policy_id: string; changes: Partial<FirewallPolicy> };
  'firewall.policy_deleted': { policy_id: string };
  'firewall.group_created': { group: FirewallGroup };
  'firewall.group_updated': { group_id: string; changes: Partial<FirewallGroup> };
  'firewall.group_deleted': { group_id: string };
  /** A fwaas-agent put the group's chains (as of config_version `version`) on the routers of its host. */
  'firewall.group_applied': { group_id: string; host: string; version: number };
  /** ipam: on evt.ipam.<subnet_id> */
  'ip.allocated': { subnet_id: string; network_id: string; ip_address: string; port_id: string };
  'ip.released': { subnet_id: string; network_id: string; ip_address: string; port_id: string };
  /** ipam: on evt.ipam.<network_id> */
  'mac.allocated': { network_id: string; mac_address: string; port_id: string };
  'mac.released': { network_id: string; mac_address: string; port_id: string };
  /** ipam: on evt.ipam.<range key>, e.g. seg-vxlan, seg-vlan-physnet1, seg-flat-physnet1 */
  'segment.allocated': SegmentData;
  'segment.released': SegmentData;
  /**
   * evt.bulk.<id>: a bulk create recorded before its resources (their ids), then
   * committed when all exist, or aborted (and its resources deleted) when the
   * request failed or died part-way, then cleared once none of them is left. See docs/architecture.md, "Bulk creates".
   */
  'bulk.started': { batch: BulkBatch };
  'bulk.committed': { bulk_id: string };
  'bulk.aborted': { bulk_id: string; reason: string };
  /** An aborted batch none of whose resources is left: nothing is appended to its subject again. */
  'bulk.cleared': { bulk_id: string };
  /**
   * evt.quota.<project>: the limits an admin set (the whole set after the change, over the defaults),
   * their reset to the defaults, and the claims of resources being created (counted against the
   * limits until their `*.created` lands, or released when the create provably failed).
   */
  'quota.updated': { project_id: string; limits: Partial<QuotaLimits> };
  'quota.reset': { project_id: string };
  /** `expired`: claims past their time that no resource fulfilled, dropped from the state. */
  'quota.claimed': { project_id: string; claims: QuotaClaim[]; expired?: string[] };
  'quota.released': { project_id: string; ids: string[] };
  /**
   * evt.address_group.<id> (issue 13): the group, its addresses (added and removed as normalised
   * CIDRs, each one a revision as in Zed) and its RBAC policies (rbac-address-group; "*" is `shared`).
   */
  'address_group.created': { address_group: AddressGroup };
  'address_group.updated': { address_group_id: string; changes: Partial<AddressGroup> };
  'address_group.addresses_added': { address_group_id: string; addresses: string[] };
  'address_group.addresses_removed': { address_group_id: string; addresses: string[] };
  'address_group.deleted': { address_group_id: string };
  /** A security group rule names the group (decided here before the rule is added to its group), or no longer does. */
  'address_group.rule_joined': { address_group_id: string; rule_id: string; project_id: string };
  'address_group.rule_left': { address_group_id: string; rule_id: string };
  'address_group.rbac_added': { address_group_id: string; entry: SharedEntry };
  'address_group.rbac_updated': { address_group_id: string; policy_id: string; target_tenant: string };
  'address_group.rbac_removed': { address_group_id: string; policy_id: string };
  /** evt.address_scope.<id> (issue 13). */
  'address_scope.created': { address_scope: AddressScope };
  'address_scope.updated': { address_scope_id: string; changes: Partial<AddressScope> };
  'address_scope.deleted': { address_scope_id: string };
  /** RBAC access_as_shared for one project (rbac-address-scope); the "*" policy is `shared`, an address_scope.updated. */
  /** A subnet pool joins the scope (or its prefixes in it change): decided on the scope's subject before the pool names it. */
  'address_scope.pool_joined': { address_scope_id: string; subnetpool_id: string; prefixes: string[] };
  'address_scope.pool_left': { address_scope_id: string; subnetpool_id: string };
  'address_scope.rbac_added': { address_scope_id: string; entry: SharedEntry };
  'address_scope.rbac_updated': { address_scope_id: string; policy_id: string; target_tenant: string };
  'address_scope.rbac_removed': { address_scope_id: string; policy_id: string };
  /**
   * evt.subnetpool.<id> (issue 13): the pool and the blocks its subnets hold
   * (`prefix_allocated` before the subnet is created, with the pool's expected
   * sequence, so concurrent allocations never overlap; `prefix_released` when
   * the subnet is deleted or its create failed).
   */
  'subnetpool.created': { subnetpool: SubnetPool };
  'subnetpool.updated': { subnetpool_id: string; changes: Partial<SubnetPool> };
  /** remove_prefixes: the prefixes left (Zed keeps the revision). */
  'subnetpool.prefixes_removed': { subnetpool_id: string; prefixes: string[] };
  'subnetpool.deleted': { subnetpool_id: string };
  'subnetpool.prefix_allocated': { subnetpool_id: string; subnet_id: string; cidr: string; project_id: string; at: string };
  'subnetpool.prefix_released': { subnetpool_id: string; subnet_id: string };
  /** RBAC access_as_shared for one project (rbac-subnetpool); the "*" policy is `shared`, a subnetpool.updated. */
  /** evt.subnetpool.<defaultPoolSubject(version)>: which pool is the default of an IP version (one per version, decided there). */
  'subnetpool.default_claimed': { ip_version: 4 | 6; subnetpool_id: string };
  'subnetpool.default_released': { ip_version: 4 | 6; subnetpool_id: string };
  'subnetpool.rbac_added': { subnetpool_id: string; entry: SharedEntry };
  'subnetpool.rbac_updated': { subnetpool_id: string; policy_id: string; target_tenant: string };
  'subnetpool.rbac_removed': { subnetpool_id: string; policy_id: string };
  /** evt.qos_policy.<id> (issue 13): the policy with its rules inside (a rule's change is a revision of its policy). */
  'qos_policy.created': { policy: QosPolicy };
  'qos_policy.updated': { policy_id: string; changes: Partial<QosPolicy> };
  'qos_policy.deleted': { policy_id: string };
  'qos_policy.rule_added': { policy_id: string; rule: QosRule };
  'qos_policy.rule_updated': { policy_id: string; rule_id: string; changes: Partial<Omit<QosRule, 'id' | 'type'>> };
  'qos_policy.rule_removed': { policy_id: string; rule_id: string };
  /** RBAC access_as_shared for one project (Zed has no alias of its own for it: part of qos); the "*" policy is `shared`, a qos_policy.updated. */
  'qos_policy.rbac_added': { policy_id: string; entry: SharedEntry };
  'qos_policy.rbac_updated': { policy_id: string; rbac_id: string; target_tenant: string };
  'qos_policy.rbac_removed': { policy_id: string; rbac_id: string };
}

export interface SegmentData {
  network_id: string;
  network_type: NetworkType;
  physical_network: string | null;
  segmentation_id: number | null;
}

export type CoreEventType = keyof CoreEventData;

/** The aggregate type that owns each event type (the subject's second token). */
export const aggregateOf = (type: CoreEventType): 'network' | 'subnet' | 'port' | 'security_group' | 'router' | 'floatingip' | 'bulk' | 'loadbalancer' | 'lbmonitor' | 'quota' | 'vpn' | 'address_scope' | 'address_group' | 'subnetpool' | 'firewall' | 'qos_policy' | 'trunk' | 'ipam' => {
  const head = type.split('.')[0];
  if (head === 'listener' || head === 'pool' || head === 'member' || head === 'healthmonitor') return 'loadbalancer';
  return head === 'network' || head === 'subnet' || head === 'port' || head === 'security_group' || head === 'router' || head === 'floatingip' ||
    head === 'bulk' || head === 'loadbalancer' || head === 'lbmonitor' || head === 'quota' || head === 'vpn' || head === 'address_scope' || head === 'address_group' || head === 'subnetpool' || head === 'firewall' || head === 'qos_policy' || head === 'trunk'
    ? head
    : 'ipam';
};

/** An event of the catalogue as a command decides it: `data` is typed from `type`. */
export type CoreEvent<K extends CoreEventType = CoreEventType> = { [T in K]: { type: T; data: CoreEventData[T] } }[K];

/** The aggregates whose subjects commands append to (evt.<type>.<id>). */
export type AggregateType = ReturnType<typeof aggregateOf>;

/** An aggregate's address in the log. */
export interface AggregateRef {
  type: AggregateType;
  id: string;
}

/** Builds a typed event (the type picks the shape of `data`). */
export const event = <K extends CoreEventType>(type: K, data: CoreEventData[K]): CoreEvent<K> => ({ type, data }) as CoreEvent<K>;
