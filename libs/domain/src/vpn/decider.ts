/**
 * The VPN decider: one project's VPN objects on evt.vpn.<project_id>
 * (see model.ts). Neutron-vpnaas's checks (vpn_db.py, vpn_validator.py) in
 * the same order, so the same bad request gets the same error; plus one of
 * ours: peer CIDRs must not overlap the local encryption domain.
 */
import { cidrOverlaps, parseCidr, parseIp } from '@neutrino/netaddr';
import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import type { Decider } from '../decider';
import type { CoreEvent } from '../events';
import { dataOf, type EventLike } from '../common/evolve';
import { pyInt } from '../common/python';
import { validateSubnet } from '../common/ip-validators';
import { validateUuid } from '../common/validators';
import type { Parsed } from '../common/attributes';
import { parseVpn } from './attributes';
import { vpnErrors } from './errors';
import {
  emptyVpnProject, type Dpd, type EndpointGroup, type IkePolicy, type IpsecPolicy, type IpsecSiteConnection, type Lifetime, type VpnKind, type VpnKindMap,
  type VpnProject, type VpnService, type VpnStatus, type VpnStatusReport,
} from './model';

export type VpnEvent = CoreEvent<'vpn.object_created' | 'vpn.object_updated' | 'vpn.object_deleted' | 'vpn.status_reported'>;

/** What a VPN service's checks need to know of its router (the caller loads it; undefined = no such router visible). */
export interface VpnRouterFacts {
  id: string;
  /** external_gateway_info is set */
  hasGateway: boolean;
  /** the addresses of its gateway port (qg-) */
  gatewayIps: string[];
  /** subnets of its interface ports (qr-) */
  interfaceSubnetIds: string[];
}

export interface VpnSubnetFacts {
  id: string;
  cidr: string;
  ip_version: 4 | 6;
}

export interface VpnState {
  project: VpnProject;
  router: (id: string) => VpnRouterFacts | undefined;
  subnet: (id: string) => VpnSubnetFacts | undefined;
}

export type VpnCommand =
  /** `peerAddress`: the connection's peer_address resolved by the caller when it is a name (undefined: could not be resolved) */
  | { type: 'CreateVpnObject'; kind: VpnKind; body: unknown; actor: Actor; id: string; peerAddress?: string }
  | { type: 'UpdateVpnObject'; kind: VpnKind; id: string; body: unknown; actor: Actor; peerAddress?: string }
  | { type: 'DeleteVpnObject'; kind: VpnKind; id: string; actor: Actor }
  | { type: 'ReportVpnStatus'; report: VpnStatusReport };

/** The book's DPD defaults (spec/api-resources.md §10.4: canonical here, not upstream's 30/120). */
export const DEFAULT_DPD: Dpd = { action: 'hold', interval: 20, timeout: 30 };
export const DEFAULT_LIFETIME: Lifetime = { units: 'seconds', value: 3600 };
const MIN_MTU = { 4: 68, 6: 1280 } as const;
const PENDING = new Set(['PENDING_CREATE', 'PENDING_UPDATE', 'PENDING_DELETE']);

export const canSeeVpn = (o: { project_id: string }, actor: Actor): boolean => isAdmin(actor) || o.project_id === actor.project_id;

const NOT_FOUND: Record<VpnKind, (id: string) => Error> = {
  ikepolicy: vpnErrors.ikePolicyNotFound,
  ipsecpolicy: vpnErrors.ipsecPolicyNotFound,
  vpnservice: vpnErrors.vpnServiceNotFound,
  ipsec_site_connection: vpnErrors.connectionNotFound,
  endpoint_group: vpnErrors.endpointGroupNotFound,
};

function find<K extends VpnKind>(p: VpnProject, kind: K, id: unknown, actor: Actor): VpnKindMap[K] {
  const o = typeof id === 'string' ? (p[kind] as Record<string, VpnKindMap[K]>)[id] : undefined;
  if (!o || !canSeeVpn(o, actor)) throw NOT_FOUND[kind](String(id));
  return o;
}

const lifetimeOf = (given: unknown, before: Lifetime = DEFAULT_LIFETIME): Lifetime => {
  const g = (given ?? {}) as { units?: string; value?: unknown };
  // vpn_db: a falsy units/value keeps what was there
  return { units: (g.units || before.units) as 'seconds', value: pyInt(g.value) || before.value };
};

const dpdOf = (given: unknown, before: Dpd = DEFAULT_DPD): Dpd => {
  const g = (given ?? {}) as { action?: string; interval?: unknown; timeout?: unknown };
  return {
    action: (g.action ?? before.action) as Dpd['action'],
    interval: g.interval !== undefined ? pyInt(g.interval)! : before.interval,
    timeout: g.timeout !== undefined ? pyInt(g.timeout)! : before.timeout,
  };
};

const versionOf = (cidr: string): 4 | 6 => parseCidr(cidr)!.version as 4 | 6;

const base = (a: Parsed, id: string) => ({
  id, tenant_id: a.project_id as string, project_id: a.project_id as string, name: a.name as string, description: a.description as string,
});

const pick = (a: Parsed, keys: string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (a[k] !== undefined) out[k] = a[k];
  return out;
};

function usedBy(p: VpnProject, field: 'ikepolicy_id' | 'ipsecpolicy_id' | 'vpnservice_id', id: string): boolean {
  return Object.values(p.ipsec_site_connection).some((c) => c[field] === id);
}

/** vpn_validator.validate_vpnservice: a router with a gateway; the subnet (if given) attached to it. */
function checkService(state: VpnState, routerId: string, subnetId: string | null): VpnRouterFacts {
  const router = state.router(routerId);
  if (!router) throw vpnErrors.routerNotFound(routerId);
  if (!router.hasGateway) throw vpnErrors.routerNotExternal(routerId);
  if (subnetId !== null && !router.interfaceSubnetIds.includes(subnetId)) throw vpnErrors.subnetNotConnected(subnetId, routerId);
  return router;
}

/**
 * A connection as it will be (create: `before` undefined), checked as
 * vpn_db's create/update_ipsec_site_connection and the reference validator do.
 */
function checkConnection(state: VpnState, c: IpsecSiteConnection, actor: Actor, peerChanged: boolean, resolved: string | undefined): IpsecSiteConnection {
  const p = state.project;
  const service = find(p, 'vpnservice', c.vpnservice_id, actor);
  find(p, 'ikepolicy', c.ikepolicy_id, actor);
  find(p, 'ipsecpolicy', c.ipsecpolicy_id, actor);
  // validate_ipsec_conn_optional_args
  const epgs = (missing: boolean) => [...(!c.local_ep_group_id === missing ? ['local'] : []), ...(!c.peer_ep_group_id === missing ? ['peer'] : [])];
  if (service.subnet_id) {
    if (!c.peer_cidrs.length) throw vpnErrors.missingPeerCidrs();
    const given = epgs(false);
    if (given.length) throw vpnErrors.invalidEndpointGroup(given.join(' and '), given.length > 1 ? 's' : '');
  } else {
    if (c.peer_cidrs.length) throw vpnErrors.peerCidrsInvalid();
    const missing = epgs(true);
    if (missing.length) throw vpnErrors.missingEndpointGroup(missing.join(' and '), missing.length > 1 ? 's' : '');
  }
  let localCidrs: string[];
  let localVersion: 4 | 6;
  let peerCidrs: string[];
  if (c.local_ep_group_id) {
    const local = find(p, 'endpoint_group', c.local_ep_group_id, actor);
    const peer = find(p, 'endpoint_group', c.peer_ep_group_id, actor);
    if (local.type !== 'subnet') throw vpnErrors.wrongEndpointGroupType(local.id, local.type, 'subnet');
    const subnets = local.endpoints.map((id) => state.subnet(id)).filter((s): s is VpnSubnetFacts => !!s);
    const router = state.router(service.router_id);
    for (const s of subnets) if (!router?.interfaceSubnetIds.includes(s.id)) throw vpnErrors.subnetNotConnected(s.id, service.router_id);
    const lv = new Set(subnets.map((s) => s.ip_version));
    if (lv.size > 1) throw vpnErrors.mixedEndpoints(local.id);
    localVersion = [...lv][0] ?? 4;
    localCidrs = subnets.map((s) => s.cidr);
    if (peer.type !== 'cidr') throw vpnErrors.wrongEndpointGroupType(peer.id, peer.type, 'cidr');
    peerCidrs = peer.endpoints;
    if (new Set(peerCidrs.map(versionOf)).size > 1) throw vpnErrors.mixedEndpoints(peer.id);
  } else {
    const subnet = state.subnet(service.subnet_id!);
    if (!subnet) throw vpnErrors.subnetNotConnected(service.subnet_id!, service.router_id);
    localVersion = subnet.ip_version;
    localCidrs = [subnet.cidr];
    peerCidrs = c.peer_cidrs;
    for (const cidr of peerCidrs) if (validateSubnet(cidr)) throw vpnErrors.peerCidr(cidr);
    if (new Set(peerCidrs.map(versionOf)).size > 1) throw vpnErrors.mixedPeerCidrs();
  }
  if (peerCidrs.length && versionOf(peerCidrs[0]) !== localVersion) throw vpnErrors.mixedConnection();
  if (c.dpd.timeout <= c.dpd.interval) throw vpnErrors.dpdInterval();
  if (c.mtu && c.mtu < MIN_MTU[localVersion]) throw vpnErrors.mtu(c.mtu, localVersion);
  let peerAddress = c.peer_address;
  if (peerChanged) {
    // resolve_peer_address: an address as given, a name as the caller resolved it
    if (!parseIp(peerAddress)) {
      if (!resolved) throw vpnErrors.peerNotResolved(peerAddress);
      peerAddress = resolved;
    }
    const version = parseIp(peerAddress)!.version;
    const router = state.router(service.router_id);
    if (!router?.gatewayIps.some((ip) => parseIp(ip)?.version === version)) throw vpnErrors.externalNoSubnet(service.router_id, version as 4 | 6);
  }
  for (const peer of peerCidrs) {
    const pc = parseCidr(peer)!;
    const hit = localCidrs.find((l) => cidrOverlaps(pc, parseCidr(l)!));
    if (hit) throw vpnErrors.peerCidrOverlaps(peer, hit);
  }
  return { ...c, peer_address: peerAddress };
}

function checkEndpointGroup(state: VpnState, g: EndpointGroup): void {
  if (!g.endpoints.length) throw vpnErrors.missingEndpoints(JSON.stringify(g));
  if (g.type === 'cidr') {
    for (const e of g.endpoints) if (typeof e !== 'string' || validateSubnet(e)) throw vpnErrors.invalidEndpoint(String(e), 'cidr', 'Invalid CIDR');
  } else if (g.type === 'subnet') {
    for (const e of g.endpoints) {
      if (validateUuid(e)) throw vpnErrors.invalidEndpoint(String(e), 'subnet', 'Invalid UUID');
      if (!state.subnet(e)) throw vpnErrors.nonExistingSubnet(e);
    }
  } else {
    throw vpnErrors.unsupported(`Endpoint groups of type '${g.type}' are not supported by this deployment's strongSwan driver: use 'subnet' (local) and 'cidr' (peer).`);
  }
}

function build(command: Extract<VpnCommand, { type: 'CreateVpnObject' }>, state: VpnState): VpnKindMap[VpnKind] {
  const a = parseVpn(command.kind, command.body, command.actor, true);
  const b = base(a, command.id);
  switch (command.kind) {
    case 'ikepolicy':
      return { ...b, auth_algorithm: a.auth_algorithm, encryption_algorithm: a.encryption_algorithm, phase1_negotiation_mode: a.phase1_negotiation_mode,
        lifetime: lifetimeOf(a.lifetime), ike_version: a.ike_version, pfs: a.pfs } as IkePolicy;
    case 'ipsecpolicy':
      return { ...b, transform_protocol: a.transform_protocol, auth_algorithm: a.auth_algorithm, encryption_algorithm: a.encryption_algorithm,
        encapsulation_mode: a.encapsulation_mode, lifetime: lifetimeOf(a.lifetime), pfs: a.pfs } as IpsecPolicy;
    case 'vpnservice': {
      if (a.flavor_id !== null) throw vpnErrors.unsupported('flavor_id must be null: this deployment has one VPN provider (strongSwan in the router namespace) and no flavors.');
      const router = checkService(state, a.router_id as string, a.subnet_id as string | null);
      const ip = (v: number) => router.gatewayIps.find((x) => parseIp(x)?.version === v) ?? null;
      return { ...b, router_id: a.router_id, subnet_id: a.subnet_id, flavor_id: null, admin_state_up: a.admin_state_up,
        external_v4_ip: ip(4), external_v6_ip: ip(6), status: 'PENDING_CREATE' } as VpnService;
    }
    case 'ipsec_site_connection': {
      const c = {
        ...b, vpnservice_id: a.vpnservice_id, ikepolicy_id: a.ikepolicy_id, ipsecpolicy_id: a.ipsecpolicy_id, peer_address: a.peer_address,
        peer_id: a.peer_id, local_id: a.local_id, peer_cidrs: (a.peer_cidrs as string[] | null) ?? [], local_ep_group_id: a.local_ep_group_id,
        peer_ep_group_id: a.peer_ep_group_id, route_mode: 'static', auth_mode: 'psk', psk: a.psk, initiator: a.initiator, mtu: a.mtu,
        dpd: dpdOf(a.dpd), admin_state_up: a.admin_state_up, status: 'PENDING_CREATE',
      } as IpsecSiteConnection;
      return checkConnection(state, c, command.actor, true, command.peerAddress);
    }
    case 'endpoint_group': {
      const g = { ...b, type: a.type, endpoints: a.endpoints } as EndpointGroup;
      checkEndpointGroup(state, g);
      return g;
    }
  }
}

function update(command: Extract<VpnCommand, { type: 'UpdateVpnObject' }>, state: VpnState): Record<string, unknown> {
  const p = state.project;
  const before = find(p, command.kind, command.id, command.actor);
  const a = parseVpn(command.kind, command.body, command.actor, false);
  switch (command.kind) {
    case 'ikepolicy':
    case 'ipsecpolicy': {
      if (usedBy(p, `${command.kind}_id`, command.id)) throw command.kind === 'ikepolicy' ? vpnErrors.ikePolicyInUse(command.id) : vpnErrors.ipsecPolicyInUse(command.id);
      const changes = pick(a, Object.keys(a).filter((k) => k !== 'lifetime'));
      if (a.lifetime !== undefined) changes.lifetime = lifetimeOf(a.lifetime, (before as IkePolicy).lifetime);
      return changes;
    }
    case 'vpnservice': {
      const s = before as VpnService;
      if (PENDING.has(s.status)) throw vpnErrors.stateInvalidToUpdate(s.id, s.status);
      return pick(a, ['name', 'description', 'admin_state_up']);
    }
    case 'ipsec_site_connection': {
      const c = before as IpsecSiteConnection;
      const changes = pick(a, ['name', 'description', 'local_id', 'peer_address', 'peer_id', 'local_ep_group_id', 'peer_ep_group_id', 'mtu', 'initiator', 'psk', 'admin_state_up']);
      if (a.peer_cidrs !== undefined) changes.peer_cidrs = (a.peer_cidrs as string[] | null) ?? [];
      if (a.dpd !== undefined) changes.dpd = dpdOf(a.dpd, c.dpd);
      const next = checkConnection(state, { ...c, ...changes } as IpsecSiteConnection, command.actor, a.peer_address !== undefined, command.peerAddress);
      if (PENDING.has(c.status)) throw vpnErrors.stateInvalidToUpdate(c.id, c.status);
      if (a.peer_address !== undefined) changes.peer_address = next.peer_address;
      return changes;
    }
    case 'endpoint_group':
      return pick(a, ['name', 'description']);
  }
}

function decideVpn(command: VpnCommand, state: VpnState): VpnEvent[] {
  const p = state.project;
  switch (command.type) {
    case 'CreateVpnObject': {
      const object = build(command, state);
      if ((p[command.kind] as Record<string, unknown>)[command.id]) throw vpnErrors.unsupported(`${command.kind} ${command.id} already exists.`);
      return [{ type: 'vpn.object_created', data: { kind: command.kind, object } }];
    }
    case 'UpdateVpnObject': {
      const changes = update(command, state);
      return Object.keys(changes).length ? [{ type: 'vpn.object_updated', data: { kind: command.kind, id: command.id, changes } }] : [];
    }
    case 'DeleteVpnObject': {
      const { kind, id, actor } = command;
      if (kind === 'ikepolicy' && usedBy(p, 'ikepolicy_id', id)) throw vpnErrors.ikePolicyInUse(id);
      if (kind === 'ipsecpolicy' && usedBy(p, 'ipsecpolicy_id', id)) throw vpnErrors.ipsecPolicyInUse(id);
      if (kind === 'vpnservice' && usedBy(p, 'vpnservice_id', id)) throw vpnErrors.vpnServiceInUse(id);
      find(p, kind, id, actor);
      if (kind === 'endpoint_group' && Object.values(p.ipsec_site_connection).some((c) => c.local_ep_group_id === id || c.peer_ep_group_id === id)) {
        throw vpnErrors.endpointGroupInUse(id);
      }
      return [{ type: 'vpn.object_deleted', data: { kind, id } }];
    }
    case 'ReportVpnStatus': {
      const r = command.report;
      // only what changed, of objects that still exist
      const vpnservices: VpnStatusReport['vpnservices'] = {};
      for (const [id, status] of Object.entries(r.vpnservices)) if (p.vpnservice[id] && p.vpnservice[id].status !== status) vpnservices[id] = status;
      const connections: VpnStatusReport['connections'] = {};
      for (const [id, s] of Object.entries(r.connections)) {
        const c = p.ipsec_site_connection[id];
        if (c && (c.status !== s.status || (c.status_reason ?? '') !== (s.reason ?? ''))) connections[id] = s;
      }
      if (!Object.keys(vpnservices).length && !Object.keys(connections).length) return [];
      return [{ type: 'vpn.status_reported', data: { ...r, vpnservices, connections } }];
    }
  }
}

/** Folds one event into a project's VPN objects. */
export function evolveVpnProject(p: VpnProject | undefined, event: EventLike & { aggregate?: { id: string } }): VpnProject {
  const project = p ?? emptyVpnProject(event.aggregate?.id ?? '');
  const next = (kind: VpnKind, table: Record<string, unknown>) => ({ ...project, [kind]: table });
  switch (event.type) {
    case 'vpn.object_created': {
      const d = dataOf(event, 'vpn.object_created');
      const table = { ...project[d.kind], [d.object.id]: structuredClone(d.object) };
      return { ...next(d.kind, table), project_id: project.project_id || d.object.project_id };
    }
    case 'vpn.object_updated': {
      const d = dataOf(event, 'vpn.object_updated');
      const o = project[d.kind][d.id];
      return o ? next(d.kind, { ...project[d.kind], [d.id]: { ...o, ...structuredClone(d.changes) } }) : project;
    }
    case 'vpn.object_deleted': {
      const d = dataOf(event, 'vpn.object_deleted');
      const table = { ...project[d.kind] };
      delete table[d.id];
      return next(d.kind, table);
    }
    case 'vpn.status_reported': {
      const d = dataOf(event, 'vpn.status_reported');
      const services = { ...project.vpnservice };
      for (const [id, status] of Object.entries(d.vpnservices)) if (services[id]) services[id] = { ...services[id], status: status as VpnStatus };
      const conns = { ...project.ipsec_site_connection };
      for (const [id, s] of Object.entries(d.connections)) {
        if (conns[id]) conns[id] = { ...conns[id], status: s.status, ...(s.reason ? { status_reason: s.reason } : { status_reason: undefined }) };
      }
      return { ...project, vpnservice: services, ipsec_site_connection: conns };
    }
    default:
      return project;
  }
}

export const vpnDecider: Decider<VpnCommand, VpnState, VpnEvent> = {
  decide: decideVpn,
  evolve: (state, event) => ({ ...state, project: evolveVpnProject(state.project, event) }),
  initialState: () => ({ project: emptyVpnProject(''), router: () => undefined, subnet: () => undefined }),
};
