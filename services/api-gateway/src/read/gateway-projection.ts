import {
  evolveAddressGroup, type AddressGroup, evolveAddressScope, evolveQosPolicy, type QosPolicy, evolveSubnetPool, evolveDefaultPool, isDefaultPoolSubject, type AddressScope, type SubnetPool,
  bumpRevision, evolveBulk, evolveQuota, fulfilClaim, type ProjectQuota, type QuotaEvent, evolveLoadBalancerTree, evolveV1Monitor, evolveVpnProject, type VpnProject, evolveFirewall, FIREWALL_AGGREGATE_ID, type FirewallState, evolveTrunks, TRUNK_AGGREGATE_ID, type TrunkState, type LoadBalancerTree, type V1HealthMonitor, evolveFloatingIp, evolveNetwork, evolveNetworkSubnets, evolvePlacement, evolvePort, evolveRouter, evolveSecurityGroup, evolveSubnet,
  type BulkBatch, type Network, type Resource, type RouterPlacement, type Subnet,
} from '@neutrino/domain';
import type { StoredEvent } from '@neutrino/events';
import type { ProjectionHandler } from '@neutrino/projection';
import type { EntityManager } from 'typeorm';
import type { ReadModel, Versioned } from './read-model';
import { ResourceRow } from './resource-row.entity';

/** The aggregates this projection keeps (a security group's rules live inside its group's row). */
type Stored = 'network' | 'subnet' | 'port' | 'security_group' | 'router' | 'floatingip';
const KINDS = new Set<string>(['network', 'subnet', 'port', 'security_group', 'router', 'floatingip']);
/** A router's placement (hosts, HA states) is kept in its own row beside the router. */
const PLACEMENT = 'router_placement';
const TOMBSTONE = 'security_group.deleted';
/** An open or aborted bulk batch (evt.bulk.<id>); a committed one leaves the projection. */
const BULK = 'bulk';
/** A load balancer's whole tree (evt.loadbalancer.<id>), one row. */
const LB = 'loadbalancer';
/** An LBaaS v1 health monitor (evt.lbmonitor.<id>), one row. */
const LBMON = 'lbmonitor';
/** A project's VPN objects (evt.vpn.<project>), one row. */
const VPN = 'vpn';
/** FWaaS (evt.firewall.fwaas): the whole state, one row. */
const FW = 'firewall';
/** Trunks (evt.trunk.trunks): every trunk, one row. */
const TRUNK = 'trunk';
/** An address scope (evt.address_scope.<id>) and a subnet pool (evt.subnetpool.<id>), one row each. */
const SCOPE = 'address_scope';
/** An address group (evt.address_group.<id>), one row. */
const ADDRESS_GROUP = 'address_group';
const SUBNETPOOL = 'subnetpool';
/** A QoS policy with its rules (evt.qos_policy.<id>), one row. */
const QOS = 'qos_policy';
/** Which pool is the default of an IP version (evt.subnetpool.<defaultPoolSubject(v)>), one row per version. */
const DEFAULT_POOL = 'subnetpool_default';
/** A project's quota aggregate (evt.quota.<project>), one row. */
const QUOTA = 'quota';
/** The id of the resource an event creates (what fulfils its quota claim). */
const createdId = (e: StoredEvent): string | undefined => {
  const d = e.data as Record<string, { id?: string } | undefined>;
  switch (e.type) {
    case 'network.created': return d.network?.id;
    case 'subnet.created': return d.subnet?.id;
    case 'port.created': return d.port?.id;
    case 'router.created': return d.router?.id;
    case 'floatingip.created': return d.floatingip?.id;
    case 'security_group.created': return d.security_group?.id;
    case 'security_group.rule_added': return d.rule?.id;
    default: return undefined;
  }
};
type Evolve = (view: any, e: { type: string; at: string; data: any }) => any;
const EVOLVE: Record<Stored, Evolve> = {
  network: evolveNetwork, subnet: evolveSubnet, port: evolvePort, security_group: evolveSecurityGroup, router: evolveRouter, floatingip: evolveFloatingIp,
};

/**
 * Networks, subnets and ports as the API shows them: SQLite rows (durable,
 * rebuilt from the log on demand) mirrored in the in-memory ReadModel.
 */
export class GatewayProjection implements ProjectionHandler {
  readonly name = 'api-gateway';
  private pending = new Map<string, { kind: Stored; id: string; v: Versioned<Resource> | undefined }>();
  /** Deleted security groups: id → the deletion's sequence (their subject's last; a default group may be made again). */
  private tombstones = new Map<string, number | undefined>();
  private placements = new Map<string, RouterPlacement | undefined>();
  private bulks = new Map<string, Versioned<BulkBatch> | undefined>();
  private lbs = new Map<string, Versioned<LoadBalancerTree> | undefined>();
  private monitors = new Map<string, Versioned<V1HealthMonitor> | undefined>();
  private quotas = new Map<string, Versioned<ProjectQuota>>();
  private vpns = new Map<string, Versioned<VpnProject>>();
  private scopes = new Map<string, Versioned<AddressScope> | undefined>();
  private addressGroups = new Map<string, Versioned<AddressGroup> | undefined>();
  private qos = new Map<string, Versioned<QosPolicy> | undefined>();
  private pools = new Map<string, Versioned<SubnetPool> | undefined>();
  private defaultPools = new Map<4 | 6, Versioned<string | null>>();
  /** the firewall state as of this batch (undefined: untouched) */
  private fw: Versioned<FirewallState> | undefined;
  /** the trunks as of this batch (undefined: untouched) */
  private trunks: Versioned<TrunkState> | undefined;
  /** Claims made in the batch being applied: resource id → project. */
  private newClaims = new Map<string, string>();

  constructor(private readonly model: ReadModel) {}

  async load(manager: EntityManager): Promise<void> {
    this.model.clear();
    const rows = await manager.find(ResourceRow);
    for (const kind of ['network', 'subnet', 'port', 'security_group', 'router', 'floatingip'] as const) {
      for (const r of rows) if (r.kind === kind) this.model.put(kind, r.id, { value: JSON.parse(r.body), seq: r.seq });
    }
    for (const r of rows) if (r.kind === TOMBSTONE) this.model.deletedSecurityGroups.set(r.id, r.seq);
    for (const r of rows) if (r.kind === PLACEMENT) this.model.placements.set(r.id, JSON.parse(r.body));
    for (const r of rows) if (r.kind === BULK) this.model.bulks.set(r.id, { value: JSON.parse(r.body), seq: r.seq });
    for (const r of rows) if (r.kind === LB) this.model.putLoadBalancer(r.id, { value: JSON.parse(r.body), seq: r.seq });
    for (const r of rows) if (r.kind === LBMON) this.model.lbMonitors.set(r.id, { value: JSON.parse(r.body), seq: r.seq });
    for (const r of rows) if (r.kind === VPN) this.model.putVpnProject(r.id, { value: JSON.parse(r.body), seq: r.seq });
    for (const r of rows) if (r.kind === FW) this.model.firewall = { value: JSON.parse(r.body), seq: r.seq };
    for (const r of rows) if (r.kind === TRUNK) this.model.trunks = { value: JSON.parse(r.body), seq: r.seq };
    for (const r of rows) if (r.kind === SCOPE) this.model.addressScopes.set(r.id, { value: JSON.parse(r.body), seq: r.seq });
    for (const r of rows) if (r.kind === ADDRESS_GROUP) this.model.addressGroups.set(r.id, { value: JSON.parse(r.body), seq: r.seq });
    for (const r of rows) if (r.kind === QOS) this.model.qosPolicies.set(r.id, { value: JSON.parse(r.body), seq: r.seq });
    for (const r of rows) if (r.kind === SUBNETPOOL) this.model.subnetPools.set(r.id, { value: JSON.parse(r.body), seq: r.seq });
    for (const r of rows) if (r.kind === DEFAULT_POOL) this.model.defaultPools.set(Number(r.id) as 4 | 6, { value: JSON.parse(r.body), seq: r.seq });
    for (const r of rows) if (r.kind === QUOTA) this.model.putQuota(r.id, { value: JSON.parse(r.body), seq: r.seq });
  }

  /** After a snapshot replaced the rows: the in-memory model is reloaded from them. */
  restored(manager: EntityManager): Promise<void> {
    return this.load(manager);
  }

  async apply(manager: EntityManager, events: StoredEvent[]): Promise<void> {
    this.pending.clear();
    this.tombstones.clear();
    this.placements.clear();
    this.bulks.clear();
    this.lbs.clear();
    this.monitors.clear();
    this.quotas.clear();
    this.vpns.clear();
    this.newClaims.clear();
    this.scopes.clear();
    this.addressGroups.clear();
    this.qos.clear();
    this.pools.clear();
    this.defaultPools.clear();
    this.fw = undefined;
    this.trunks = undefined;
    const upsertsLater: ResourceRow[] = [];
    for (const e of events) {
      if (e.aggregate.type === QUOTA) {
        const id = e.aggregate.id;
        const after = evolveQuota(this.quota(id)?.value, e as unknown as QuotaEvent & { at: string });
        this.quotas.set(id, { value: after, seq: e.seq });
        for (const cid of Object.keys(after.claims)) this.newClaims.set(cid, id);
        continue;
      }
      const created = createdId(e);
      if (created) this.fulfil(created);
      if (e.aggregate.type === BULK) {
        const id = e.aggregate.id;
        const before = this.bulks.has(id) ? this.bulks.get(id) : this.model.bulks.get(id);
        const after = evolveBulk(before?.value, e);
        this.bulks.set(id, after && after.status !== 'committed' ? { value: after, seq: e.seq } : undefined);
        continue;
      }
      if (e.aggregate.type === LB) {
        const id = e.aggregate.id;
        const before = this.lbs.has(id) ? this.lbs.get(id) : this.model.loadBalancers.get(id);
        const after = evolveLoadBalancerTree(before?.value, e);
        this.lbs.set(id, after ? { value: after, seq: e.seq } : undefined);
        continue;
      }
      if (e.aggregate.type === VPN) {
        const id = e.aggregate.id;
        const before = this.vpns.get(id) ?? this.model.vpnProjects.get(id);
        this.vpns.set(id, { value: evolveVpnProject(before?.value, e), seq: e.seq });
        continue;
      }
      if (e.aggregate.type === SCOPE) {
        const id = e.aggregate.id;
        const before = this.scopes.has(id) ? this.scopes.get(id) : this.model.addressScopes.get(id);
        const after = evolveAddressScope(before?.value, e);
        this.scopes.set(id, after ? { value: after, seq: e.seq } : undefined);
        continue;
      }
      if (e.aggregate.type === ADDRESS_GROUP) {
        const id = e.aggregate.id;
        const before = this.addressGroups.has(id) ? this.addressGroups.get(id) : this.model.addressGroups.get(id);
        const after = evolveAddressGroup(before?.value, e);
        this.addressGroups.set(id, after ? { value: after, seq: e.seq } : undefined);
        continue;
      }
      if (e.aggregate.type === QOS) {
        const id = e.aggregate.id;
        const before = this.qos.has(id) ? this.qos.get(id) : this.model.qosPolicies.get(id);
        const after = evolveQosPolicy(before?.value, e);
        this.qos.set(id, after ? { value: after, seq: e.seq } : undefined);
        continue;
      }
      const defaultOf = e.aggregate.type === SUBNETPOOL ? isDefaultPoolSubject(e.aggregate.id) : undefined;
      if (defaultOf) {
        const before = this.defaultPools.get(defaultOf) ?? this.model.defaultPools.get(defaultOf);
        this.defaultPools.set(defaultOf, { value: evolveDefaultPool(before?.value ?? null, e), seq: e.seq });
        continue;
      }
      if (e.aggregate.type === SUBNETPOOL) {
        const id = e.aggregate.id;
        const before = this.pools.has(id) ? this.pools.get(id) : this.model.subnetPools.get(id);
        const after = evolveSubnetPool(before?.value, e);
        this.pools.set(id, after ? { value: after, seq: e.seq } : undefined);
        continue;
      }
      if (e.aggregate.type === TRUNK) {
        const before: Versioned<TrunkState> | undefined = this.trunks ?? this.model.trunks;
        this.trunks = { value: evolveTrunks(before?.value, e), seq: e.seq };
        continue;
      }
      if (e.aggregate.type === FW) {
        const before: Versioned<FirewallState> | undefined = this.fw ?? this.model.firewall;
        this.fw = { value: evolveFirewall(before?.value, e), seq: e.seq };
        continue;
      }
      if (e.aggregate.type === LBMON) {
        const id = e.aggregate.id;
        const before = this.monitors.has(id) ? this.monitors.get(id) : this.model.lbMonitors.get(id);
        const after = evolveV1Monitor(before?.value, e);
        this.monitors.set(id, after ? { value: after, seq: e.seq } : undefined);
        continue;
      }
      if (!KINDS.has(e.aggregate.type)) continue;
      const kind = e.aggregate.type as Stored;
      const current = this.current(kind, e.aggregate.id);
      if (kind === 'subnet') this.touchNetwork(e, (current?.value as Subnet | undefined)?.network_id);
      const next = EVOLVE[kind](current?.value, e);
      this.stage(kind, e.aggregate.id, next ? { value: next, seq: e.seq } : undefined);
      if (kind === 'security_group') this.tombstones.set(e.aggregate.id, next ? undefined : e.seq);
      if (kind === 'router') {
        const id = e.aggregate.id;
        const before = this.placements.has(id) ? this.placements.get(id) : this.model.placements.get(id);
        const after = evolvePlacement(before, e);
        if (after !== before) this.placements.set(id, after);
      }
    }
    for (const [id, p] of this.placements) {
      if (p) upsertsLater.push({ kind: PLACEMENT, id, project_id: '', seq: 0, body: JSON.stringify(p) });
      else await manager.delete(ResourceRow, { kind: PLACEMENT, id });
    }
    for (const [id, b] of this.bulks) {
      if (b) upsertsLater.push({ kind: BULK, id, project_id: '', seq: b.seq, body: JSON.stringify(b.value) });
      else await manager.delete(ResourceRow, { kind: BULK, id });
    }
    for (const [id, q] of this.quotas) upsertsLater.push({ kind: QUOTA, id, project_id: id, seq: q.seq, body: JSON.stringify(q.value) });
    for (const [id, t] of this.lbs) {
      if (t) upsertsLater.push({ kind: LB, id, project_id: t.value.loadbalancer.project_id, seq: t.seq, body: JSON.stringify(t.value) });
      else await manager.delete(ResourceRow, { kind: LB, id });
    }
    for (const [id, m] of this.monitors) {
      if (m) upsertsLater.push({ kind: LBMON, id, project_id: m.value.project_id, seq: m.seq, body: JSON.stringify(m.value) });
      else await manager.delete(ResourceRow, { kind: LBMON, id });
    }
    for (const [id, v] of this.vpns) upsertsLater.push({ kind: VPN, id, project_id: id, seq: v.seq, body: JSON.stringify(v.value) });
    for (const [kind, staged] of [[SCOPE, this.scopes], [ADDRESS_GROUP, this.addressGroups], [SUBNETPOOL, this.pools], [QOS, this.qos]] as const) {
      for (const [id, v] of staged as Map<string, Versioned<{ project_id: string }> | undefined>) {
        if (v) upsertsLater.push({ kind, id, project_id: v.value.project_id, seq: v.seq, body: JSON.stringify(v.value) });
        else await manager.delete(ResourceRow, { kind, id });
      }
    }
    for (const [v, d] of this.defaultPools) upsertsLater.push({ kind: DEFAULT_POOL, id: String(v), project_id: '', seq: d.seq, body: JSON.stringify(d.value) });
    if (this.fw) upsertsLater.push({ kind: FW, id: FIREWALL_AGGREGATE_ID, project_id: '', seq: this.fw.seq, body: JSON.stringify(this.fw.value) });
    if (this.trunks) upsertsLater.push({ kind: TRUNK, id: TRUNK_AGGREGATE_ID, project_id: '', seq: this.trunks.seq, body: JSON.stringify(this.trunks.value) });
    const upserts: ResourceRow[] = [...upsertsLater];
    for (const [id, seq] of this.tombstones) {
      if (seq === undefined) await manager.delete(ResourceRow, { kind: TOMBSTONE, id });
      else upserts.push({ kind: TOMBSTONE, id, project_id: '', seq, body: '{}' });
    }
    for (const { kind, id, v } of this.pending.values()) {
      if (v) upserts.push({ kind, id, project_id: (v.value as { project_id: string }).project_id, seq: v.seq, body: JSON.stringify(v.value) });
      else await manager.delete(ResourceRow, { kind, id });
    }
    if (upserts.length) await manager.upsert(ResourceRow, upserts, ['kind', 'id']);
  }

  committed(): void {
    for (const { kind, id, v } of this.pending.values()) this.model.put(kind, id, v);
    for (const [id, seq] of this.tombstones) {
      if (seq === undefined) this.model.deletedSecurityGroups.delete(id);
      else this.model.deletedSecurityGroups.set(id, seq);
    }
    for (const [id, p] of this.placements) {
      if (p) this.model.placements.set(id, p);
      else this.model.placements.delete(id);
    }
    for (const [id, b] of this.bulks) {
      if (b) this.model.bulks.set(id, b);
      else this.model.bulks.delete(id);
    }
    for (const [id, t] of this.lbs) this.model.putLoadBalancer(id, t);
    for (const [id, m] of this.monitors) {
      if (m) this.model.lbMonitors.set(id, m);
      else this.model.lbMonitors.delete(id);
    }
    this.monitors.clear();
    for (const [id, v] of this.vpns) this.model.putVpnProject(id, v);
    this.vpns.clear();
    for (const [id, v] of this.scopes) {
      if (v) this.model.addressScopes.set(id, v);
      else this.model.addressScopes.delete(id);
    }
    this.scopes.clear();
    for (const [id, v] of this.addressGroups) {
      if (v) this.model.addressGroups.set(id, v);
      else this.model.addressGroups.delete(id);
    }
    this.addressGroups.clear();
    for (const [id, v] of this.qos) {
      if (v) this.model.qosPolicies.set(id, v);
      else this.model.qosPolicies.delete(id);
    }
    this.qos.clear();
    for (const [id, v] of this.pools) {
      if (v) this.model.subnetPools.set(id, v);
      else this.model.subnetPools.delete(id);
    }
    this.pools.clear();
    for (const [v, d] of this.defaultPools) this.model.defaultPools.set(v, d);
    this.defaultPools.clear();
    if (this.fw) this.model.firewall = this.fw;
    this.fw = undefined;
    if (this.trunks) this.model.trunks = this.trunks;
    this.trunks = undefined;
    for (const [id, q] of this.quotas) this.model.putQuota(id, q);
    this.quotas.clear();
    this.newClaims.clear();
    this.pending.clear();
    this.tombstones.clear();
    this.placements.clear();
    this.bulks.clear();
    this.lbs.clear();
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.clear(ResourceRow);
    this.model.clear();
  }

  private quota(project: string): Versioned<ProjectQuota> | undefined {
    return this.quotas.get(project) ?? this.model.quotas.get(project);
  }

  /** The resource of a pending claim was created: from now on it counts as used, the claim goes (the quota subject's sequence stays). */
  private fulfil(id: string): void {
    const project = this.newClaims.get(id) ?? this.model.claimOwners.get(id);
    const q = project ? this.quota(project) : undefined;
    if (!project || !q?.value.claims[id]) return;
    this.quotas.set(project, { value: fulfilClaim(q.value, id), seq: q.seq });
  }

  private current(kind: Stored, id: string): Versioned<Resource> | undefined {
    const key = `${kind}:${id}`;
    return this.pending.has(key) ? this.pending.get(key)!.v : this.model.get(kind, id);
  }

  private stage(kind: Stored, id: string, v: Versioned<Resource> | undefined): void {
    this.pending.set(`${kind}:${id}`, { kind, id, v });
  }

  /**
   * A network lists its subnets, and (as in Zed) every subnet change is a revision of its network,
   * but for a change of the subnet's tags alone (Zed's tag plugin bumps the subnet only).
   */
  private touchNetwork(e: StoredEvent, knownNetworkId: string | undefined): void {
    if (e.type === 'subnet.updated' && Object.keys((e.data as { changes: object }).changes).every((k) => k === 'tags')) return;
    const data = e.data as { subnet?: { network_id: string }; network_id?: string };
    const networkId = data.subnet?.network_id ?? data.network_id ?? knownNetworkId;
    const net = networkId ? (this.current('network', networkId) as Versioned<Network> | undefined) : undefined;
    if (!net) return;
    const value = e.type === 'subnet.updated' ? bumpRevision(net.value, e.at) : evolveNetworkSubnets(net.value, e);
    this.stage('network', net.value.id, { value, seq: net.seq });
  }
}
