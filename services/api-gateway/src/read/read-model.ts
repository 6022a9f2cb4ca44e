import { SortedIds } from './sorted-ids';
import type { AddressGroup, AddressScope, QosPolicy, SubnetPool, FirewallState, TrunkState, LoadBalancerTree, ProjectQuota, QuotaResource, V1HealthMonitor, VpnProject } from '@neutrino/domain';
import { VPN_KINDS } from '@neutrino/domain';
import type { AddressUsage, BulkBatch, FloatingIp, Network, Port, Resource, ResourceKind, Router, RouterPlacement, SecurityGroup, SecurityGroupRule, Subnet } from '@neutrino/domain';
import { ROUTER_INTERFACE_OWNER } from '@neutrino/naming';
import { canonicalIp, sanitizeMac } from '@neutrino/netaddr';

export interface Versioned<T> {
  value: T;
  /** Stream sequence of the last event on the resource's subject. */
  seq: number;
}

/**
 * The gateway's in-memory view of its SQLite projection: what reads and
 * command checks use. Changed only after the projection's transaction
 * committed, so it never shows a half-applied event.
 */
export class ReadModel {
  readonly networks = new Map<string, Versioned<Network>>();
  readonly subnets = new Map<string, Versioned<Subnet>>();
  readonly ports = new Map<string, Versioned<Port>>();
  readonly securityGroups = new Map<string, Versioned<SecurityGroup>>();
  /** Every rule of every group (a rule's own URL must find its group): kept from the groups, never stored apart. */
  readonly securityGroupRules = new Map<string, Versioned<SecurityGroupRule>>();
  /** Deleted groups: id → the sequence of the deletion, the expected sequence for making that group again. */
  readonly deletedSecurityGroups = new Map<string, number>();
  readonly routers = new Map<string, Versioned<Router>>();
  readonly floatingIps = new Map<string, Versioned<FloatingIp>>();
  /** Router id → its l3-agent hosts and HA states (router.scheduled / router.ha_state_reported). */
  readonly placements = new Map<string, RouterPlacement>();
  /** Bulk creates not committed (open, or aborted with resources perhaps still to undo): what the bulk settlement looks at. */
  readonly bulks = new Map<string, Versioned<BulkBatch>>();
  /** Load balancer id → its whole tree (evt.loadbalancer.<id>): listeners, pools, members and monitors live inside it. */
  readonly loadBalancers = new Map<string, Versioned<LoadBalancerTree>>();
  /** LBaaS v1's standalone health monitors (evt.lbmonitor.<id>). */
  readonly lbMonitors = new Map<string, Versioned<V1HealthMonitor>>();
  /** Project id → its VPN objects (evt.vpn.<project>): policies, services, connections, endpoint groups. */
  readonly vpnProjects = new Map<string, Versioned<VpnProject>>();
  /** VPN object id → the project whose aggregate holds it (their URLs name only their own id). */
  private readonly vpnOfObject = new Map<string, string>();
  /** Address groups (evt.address_group.<id>). */
  readonly addressGroups = new Map<string, Versioned<AddressGroup>>();
  /** Address scopes (evt.address_scope.<id>). */
  readonly addressScopes = new Map<string, Versioned<AddressScope>>();
  /** QoS policies with their rules (evt.qos_policy.<id>). */
  readonly qosPolicies = new Map<string, Versioned<QosPolicy>>();
  /** Subnet pools (evt.subnetpool.<id>), with the blocks their subnets hold. */
  readonly subnetPools = new Map<string, Versioned<SubnetPool>>();
  /** IP version → the pool holding its default claim (evt.subnetpool.<defaultPoolSubject(v)>). */
  readonly defaultPools = new Map<4 | 6, Versioned<string | null>>();
  /** FWaaS v2: every rule, policy and group (the one aggregate evt.firewall.fwaas). */
  firewall: Versioned<FirewallState> | undefined;
  /** Trunks: every trunk (the one aggregate evt.trunk.trunks). */
  trunks: Versioned<TrunkState> | undefined;
  /** Project id → its quota aggregate (evt.quota.<project>): the limits set for it and the claims in flight. */
  readonly quotas = new Map<string, Versioned<ProjectQuota>>();
  /** Resource id of a pending quota claim → the project it was claimed in (the resource's created event fulfils it). */
  readonly claimOwners = new Map<string, string>();
  /** Listener, pool, member or health monitor id → its load balancer (their URLs name only their own id). */
  private readonly lbOfChild = new Map<string, string>();
  private readonly portsByNetwork = new Map<string, Set<string>>();
  private readonly portsByDevice = new Map<string, Set<string>>();
  /** How many ports hold `<subnet> <canonical ip>` and `<network> <sanitized mac>`: a create's checks look up what it asks for. */
  private readonly ipHolders = new Map<string, number>();
  private readonly macHolders = new Map<string, number>();
  /** `<kind> <project>` → how many resources of that kind the project has (what its quota counts as used). */
  private readonly owned = new Map<string, number>();
  /** Each table's ids in ascending order: pages sorted by id start at their marker without sorting the table. */
  private readonly order = new Map<ResourceKind, SortedIds>();

  table(kind: ResourceKind): Map<string, Versioned<Resource>> {
    const tables: Record<ResourceKind, Map<string, Versioned<any>>> = {
      network: this.networks,
      subnet: this.subnets,
      port: this.ports,
      security_group: this.securityGroups,
      security_group_rule: this.securityGroupRules,
      router: this.routers,
      floatingip: this.floatingIps,
    };
    return tables[kind] as Map<string, Versioned<Resource>>;
  }

  get<K extends ResourceKind>(kind: K, id: string): Versioned<KindMap[K]> | undefined {
    return this.table(kind).get(id) as Versioned<KindMap[K]> | undefined;
  }

  put(kind: ResourceKind, id: string, v: Versioned<Resource> | undefined): void {
    if (kind === 'port') this.indexPort(id, v?.value as Port | undefined);
    if (kind === 'security_group') this.indexRules(id, v as Versioned<SecurityGroup> | undefined);
    this.set(kind, id, v);
  }

  /** The ids of a table in ascending order. */
  sortedIds(kind: ResourceKind): SortedIds {
    let ids = this.order.get(kind);
    if (!ids) this.order.set(kind, (ids = new SortedIds()));
    return ids;
  }

  clear(): void {
    this.networks.clear();
    this.subnets.clear();
    this.ports.clear();
    this.portsByNetwork.clear();
    this.securityGroups.clear();
    this.securityGroupRules.clear();
    this.deletedSecurityGroups.clear();
    this.routers.clear();
    this.floatingIps.clear();
    this.placements.clear();
    this.bulks.clear();
    this.loadBalancers.clear();
    this.quotas.clear();
    this.claimOwners.clear();
    this.lbOfChild.clear();
    this.lbMonitors.clear();
    this.vpnProjects.clear();
    this.vpnOfObject.clear();
    this.firewall = undefined;
    this.trunks = undefined;
    this.addressScopes.clear();
    this.addressGroups.clear();
    this.qosPolicies.clear();
    this.subnetPools.clear();
    this.defaultPools.clear();
    this.portsByDevice.clear();
    this.ipHolders.clear();
    this.macHolders.clear();
    this.owned.clear();
    for (const ids of this.order.values()) ids.clear();
  }

  /** Sets a project's quota aggregate and the index of its claims. */
  putQuota(project: string, v: Versioned<ProjectQuota>): void {
    for (const id of Object.keys(this.quotas.get(project)?.value.claims ?? {})) this.claimOwners.delete(id);
    this.quotas.set(project, v);
    for (const id of Object.keys(v.value.claims)) this.claimOwners.set(id, project);
  }

  /** How many resources of a kind the project has (what its quota counts as used). */
  usedBy(project: string, kind: QuotaResource): number {
    return this.owned.get(`${kind} ${project}`) ?? 0;
  }

  private own(kind: ResourceKind, v: Versioned<Resource> | undefined, by: 1 | -1): void {
    const project = (v?.value as { project_id?: string } | undefined)?.project_id;
    if (project === undefined) return;
    const key = `${kind} ${project}`;
    const n = (this.owned.get(key) ?? 0) + by;
    if (n > 0) this.owned.set(key, n);
    else this.owned.delete(key);
  }

  /** Sets (or drops) a load balancer's tree and the index of its children. */
  putLoadBalancer(id: string, v: Versioned<LoadBalancerTree> | undefined): void {
    const before = this.loadBalancers.get(id)?.value;
    const childIds = (t: LoadBalancerTree) => [...t.listeners, ...t.pools, ...t.members, ...t.healthmonitors].map((o) => o.id);
    if (before) for (const c of childIds(before)) this.lbOfChild.delete(c);
    if (v) {
      this.loadBalancers.set(id, v);
      for (const c of childIds(v.value)) this.lbOfChild.set(c, id);
    } else this.loadBalancers.delete(id);
  }

  /** Sets (or drops) a project's VPN aggregate and the index of its objects. */
  putVpnProject(project: string, v: Versioned<VpnProject> | undefined): void {
    const ids = (p: VpnProject) => VPN_KINDS.flatMap((k) => Object.keys(p[k]));
    const before = this.vpnProjects.get(project)?.value;
    if (before) for (const id of ids(before)) this.vpnOfObject.delete(id);
    if (v) {
      this.vpnProjects.set(project, v);
      for (const id of ids(v.value)) this.vpnOfObject.set(id, project);
    } else this.vpnProjects.delete(project);
  }

  /** The project whose VPN aggregate holds an object. */
  vpnProjectOf(objectId: string): string | undefined {
    return this.vpnOfObject.get(objectId);
  }

  /** The tree a listener, pool, member or monitor lives in. */
  loadBalancerOf(childId: string): Versioned<LoadBalancerTree> | undefined {
    const lb = this.lbOfChild.get(childId);
    return lb ? this.loadBalancers.get(lb) : undefined;
  }

  /** Ports whose device_id is the given router or floating IP (any owner). */
  portsOfDevice(deviceId: string): Port[] {
    return [...(this.portsByDevice.get(deviceId) ?? [])].map((id) => this.ports.get(id)!.value);
  }

  /** The router's interface ports (network:router_interface). */
  interfacesOf(routerId: string): Port[] {
    return this.portsOfDevice(routerId).filter((p) => p.device_owner === ROUTER_INTERFACE_OWNER);
  }

  floatingIpsOfRouter(routerId: string): FloatingIp[] {
    return [...this.floatingIps.values()].map((v) => v.value).filter((f) => f.router_id === routerId);
  }

  /** Ports whose security_groups name the group. */
  portsUsingGroup(groupId: string): Port[] {
    return [...this.ports.values()].map((v) => v.value).filter((p) => p.security_groups.includes(groupId));
  }

  subnetsOf(networkId: string): Subnet[] {
    const net = this.networks.get(networkId)?.value;
    return (net?.subnets ?? []).map((id) => this.subnets.get(id)?.value).filter((s): s is Subnet => !!s);
  }

  portsOn(networkId: string): Port[] {
    return [...(this.portsByNetwork.get(networkId) ?? [])].map((id) => this.ports.get(id)!.value);
  }

  /** Addresses and MACs held by ports on a network, from the indexes (no walk of its ports). */
  addressUsage(networkId: string): AddressUsage {
    return {
      ipInUse: (subnetId, ip) => (this.ipHolders.get(`${subnetId} ${ip}`) ?? 0) > 0,
      macInUse: (mac) => (this.macHolders.get(`${networkId} ${mac}`) ?? 0) > 0,
    };
  }

  private set(kind: ResourceKind, id: string, v: Versioned<Resource> | undefined): void {
    const table = this.table(kind);
    const known = table.has(id);
    this.own(kind, table.get(id), -1);
    this.own(kind, v, 1);
    if (v) {
      table.set(id, v);
      if (!known) this.sortedIds(kind).add(id);
    } else if (known) {
      table.delete(id);
      this.sortedIds(kind).delete(id);
    }
  }

  private indexRules(groupId: string, next: Versioned<SecurityGroup> | undefined): void {
    const kept = new Set((next?.value.security_group_rules ?? []).map((r) => r.id));
    for (const r of this.securityGroups.get(groupId)?.value.security_group_rules ?? []) if (!kept.has(r.id)) this.set('security_group_rule', r.id, undefined);
    for (const r of next?.value.security_group_rules ?? []) this.set('security_group_rule', r.id, { value: r, seq: next!.seq });
  }

  private countHolders(port: Port, by: 1 | -1): void {
    const count = (m: Map<string, number>, key: string) => {
      const n = (m.get(key) ?? 0) + by;
      if (n > 0) m.set(key, n);
      else m.delete(key);
    };
    count(this.macHolders, `${port.network_id} ${sanitizeMac(port.mac_address)}`);
    for (const f of port.fixed_ips) count(this.ipHolders, `${f.subnet_id} ${canonicalIp(f.ip_address)}`);
  }

  private indexPort(id: string, next: Port | undefined): void {
    const prev = this.ports.get(id)?.value;
    // Most port events (status, binding, name) leave its addresses as they were: nothing to recount.
    const same = prev && next && prev.network_id === next.network_id && prev.mac_address === next.mac_address && prev.fixed_ips === next.fixed_ips;
    if (prev && !same) this.countHolders(prev, -1);
    if (next && !same) this.countHolders(next, 1);
    if (prev) this.portsByNetwork.get(prev.network_id)?.delete(id);
    if (prev?.device_id) this.portsByDevice.get(prev.device_id)?.delete(id);
    if (next?.device_id) {
      if (!this.portsByDevice.has(next.device_id)) this.portsByDevice.set(next.device_id, new Set());
      this.portsByDevice.get(next.device_id)!.add(id);
    }
    if (next) {
      if (!this.portsByNetwork.has(next.network_id)) this.portsByNetwork.set(next.network_id, new Set());
      this.portsByNetwork.get(next.network_id)!.add(id);
    }
  }
}

interface KindMap {
  network: Network;
  subnet: Subnet;
  port: Port;
  security_group: SecurityGroup;
  security_group_rule: SecurityGroupRule;
  router: Router;
  floatingip: FloatingIp;
}
