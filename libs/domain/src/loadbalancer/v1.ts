/**
 * LBaaS v1 (`/v2.0/lb/...`, spec/api-resources.md §7): neutron-lbaas's
 * attribute maps and exceptions, and how v1's objects map onto the one
 * load-balancer model.
 *
 * The mapping: a v1 pool is a load balancer tree whose id is the pool's id
 * (so the namespace is `qlbaas-<pool_id>`, as the seed book shows) holding one
 * pool with that id; its VIP is the tree's VIP address plus one listener whose
 * id is the VIP's id and whose default pool is the pool. Members are the
 * pool's members. A v1 health monitor is a template of its own
 * (evt.lbmonitor.<id>); associating it with a pool puts a monitor into that
 * pool's tree. Any tree with one pool and at most one listener serving it
 * (a v2 load balancer of that shape too) is visible through v1.
 */
import type { Actor } from '../actor';
import type { Decider } from '../decider';
import { NeutronError } from '../errors';
import type { CoreEvent } from '../events';
import { dataOf, type EventLike } from '../common/evolve';
import { parseAttributes, NOT_SPECIFIED, type AttrMap, type Parsed } from '../common/attributes';
import { unwrapSingular } from '../common/body';
import { toBoolean, toInt } from '../common/converters';
import { validateIpAddress, validateIpAddressOrNone } from '../common/ip-validators';
import { pyInt, pyStr } from '../common/python';
import { isDict, validateNonNegative, validateString, validateUuid, validateUuidList, validateValues } from '../common/validators';
import { canSeeLb } from './visibility';
import type { HealthMonitor, Listener, LoadBalancerTree, Member, Pool, V1HealthMonitor } from './model';

// ---- neutron-lbaas v1 exceptions (neutron_lbaas/extensions/loadbalancer.py) ----

export const v1Errors = {
  poolNotFound: (id: string) => new NeutronError(404, 'PoolNotFound', `Pool ${id} could not be found`),
  vipNotFound: (id: string) => new NeutronError(404, 'VipNotFound', `Vip ${id} could not be found`),
  memberNotFound: (id: string) => new NeutronError(404, 'MemberNotFound', `Member ${id} could not be found`),
  monitorNotFound: (id: string) => new NeutronError(404, 'HealthMonitorNotFound', `Health_monitor ${id} could not be found`),
  vipExists: (poolId: string) => new NeutronError(409, 'VipExists', `Another Vip already exists for pool ${poolId}`),
  poolInUse: (poolId: string) => new NeutronError(409, 'PoolInUse', `Pool ${poolId} is still in use`),
  monitorInUse: (id: string) => new NeutronError(409, 'HealthMonitorInUse', `Health monitor ${id} still has associations with pools`),
  associationExists: (monitorId: string, poolId: string) =>
    new NeutronError(409, 'PoolMonitorAssociationExists', `health_monitor ${monitorId} is already associated with pool ${poolId}`),
  associationNotFound: (monitorId: string, poolId: string) =>
    new NeutronError(404, 'PoolMonitorAssociationNotFound', `Monitor ${monitorId} is not associated with Pool ${poolId}`),
  stateInvalid: (id: string, state: string) => new NeutronError(409, 'StateInvalid', `Invalid state ${state} of Loadbalancer resource ${id}`),
  protocolMismatch: (vip: string, pool: string) => new NeutronError(400, 'ProtocolMismatch', `Protocol ${vip} does not match pool protocol ${pool}`),
  memberExists: (address: string, port: number, pool: string) =>
    new NeutronError(409, 'MemberExists', `Member with address ${address} and port ${port} already present in pool ${pool}`),
  delayOrTimeout: () => new NeutronError(400, 'DelayOrTimeoutInvalid', 'Delay must be greater than or equal to timeout'),
  providerNotFound: (provider: string) =>
    new NeutronError(400, 'ServiceProviderNotFound', `Service provider '${provider}' could not be found for service type LOADBALANCER`),
  noAgent: (poolId: string) => new NeutronError(404, 'NoEligibleLbaasAgent', `No eligible loadbalancer agent found for pool ${poolId}.`),
  /** What one load-balancer model cannot hold; said plainly rather than half done. */
  unsupported: (what: string) => new NeutronError(400, 'BadRequest', what),
  oneMonitorPerPool: (poolId: string, monitorId: string) =>
    new NeutronError(409, 'PoolMonitorAssociationExists', `Pool ${poolId} already has health monitor ${monitorId}: this deployment runs one health monitor per pool (HAProxy checks each server once)`),
};

// ---- attribute maps ----

const MIN_CONNECT = -1;
const validateRange = (min: number, max: number) => (data: unknown): string | undefined => {
  const n = pyInt(data);
  if (n === undefined) return `'${pyStr(data)}' is not an integer`;
  if (n < min) return `'${n}' is too small - must be at least '${min}'`;
  if (n > max) return `'${n}' is too large - must be no larger than '${max}'`;
  return undefined;
};
const validateConnectionLimit = (data: unknown): string | undefined => {
  const n = pyInt(data);
  if (n === undefined) return `'${pyStr(data)}' is not an integer`;
  return n < MIN_CONNECT ? `'${n}' is not a valid value, because it cannot be less than ${MIN_CONNECT}` : undefined;
};
const EXPECTED_CODES = /^(\d{3}(\s*,\s*\d{3})*)$|^(\d{3}-\d{3})$/;
const validateExpectedCodes = (data: unknown): string | undefined =>
  typeof data === 'string' && EXPECTED_CODES.test(data) ? undefined : `'${pyStr(data)}' is not a valid input`;
const PERSISTENCE_TYPES = ['APP_COOKIE', 'HTTP_COOKIE', 'SOURCE_IP'];
/** type:dict_or_empty with {type (required, one of), cookie_name (string)}. */
const validatePersistence = (data: unknown): string | undefined => {
  if (!isDict(data)) return `'${pyStr(data)}' is not a dictionary`;
  if (!Object.keys(data).length) return undefined;
  const extra = Object.keys(data).filter((k) => k !== 'type' && k !== 'cookie_name');
  if (extra.length) return `Unrecognized keys in session_persistence: ${extra.join(', ')}`;
  if (!('type' in data)) return "Validation of dictionary's keys failed. Expected keys: {'type'}";
  const bad = validateValues(data.type, PERSISTENCE_TYPES);
  if (bad) return `${bad}; expected one of ${PERSISTENCE_TYPES.join(', ')}`;
  if ('cookie_name' in data && data.cookie_name !== null) return validateString(data.cookie_name);
  return undefined;
};
const values = (list: string[]) => (d: unknown) => {
  const bad = validateValues(d, list);
  return bad ? `${bad}; expected one of ${list.join(', ')}` : undefined;
};
const str = (d: unknown) => validateString(d);
const bool = { convert: toBoolean };
const tenant = { post: true, put: false, default: NOT_SPECIFIED, validate: str };
const PROTOCOLS = ['TCP', 'HTTP', 'HTTPS'];

export const V1_ATTRS: Record<'pool' | 'vip' | 'member' | 'health_monitor', AttrMap> = {
  pool: {
    tenant_id: tenant,
    name: { post: true, put: true, default: '', validate: str },
    description: { post: true, put: true, default: '', validate: str },
    subnet_id: { post: true, put: false, validate: validateUuid },
    protocol: { post: true, put: false, validate: values(PROTOCOLS) },
    provider: { post: true, put: false, default: NOT_SPECIFIED, validate: str },
    lb_method: { post: true, put: true, validate: values(['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP']) },
    health_monitors: { post: true, put: false, default: null, convert: (v) => (v === null ? null : Array.isArray(v) ? v : [v]), validate: (v) => (v === null ? undefined : validateUuidList(v)) },
    admin_state_up: { post: true, put: true, default: true, ...bool },
  },
  vip: {
    tenant_id: tenant,
    name: { post: true, put: true, default: '', validate: str },
    description: { post: true, put: true, default: '', validate: str },
    subnet_id: { post: true, put: false, validate: validateUuid },
    address: { post: true, put: false, default: NOT_SPECIFIED, validate: validateIpAddressOrNone },
    protocol_port: { post: true, put: false, convert: toInt, validate: validateRange(1, 65535) },
    protocol: { post: true, put: false, validate: values(PROTOCOLS) },
    pool_id: { post: true, put: true, validate: validateUuid },
    session_persistence: { post: true, put: true, default: {}, convert: (v) => (v === null ? {} : v), validate: validatePersistence },
    connection_limit: { post: true, put: true, default: MIN_CONNECT, convert: toInt, validate: validateConnectionLimit },
    admin_state_up: { post: true, put: true, default: true, ...bool },
  },
  member: {
    tenant_id: tenant,
    pool_id: { post: true, put: true, validate: validateUuid },
    address: { post: true, put: false, validate: validateIpAddress },
    protocol_port: { post: true, put: false, convert: toInt, validate: validateRange(1, 65535) },
    weight: { post: true, put: true, default: 1, convert: toInt, validate: validateRange(0, 256) },
    admin_state_up: { post: true, put: true, default: true, ...bool },
  },
  health_monitor: {
    tenant_id: tenant,
    type: { post: true, put: false, validate: values(['PING', 'TCP', 'HTTP', 'HTTPS']) },
    delay: { post: true, put: true, convert: toInt, validate: validateNonNegative },
    timeout: { post: true, put: true, convert: toInt, validate: validateNonNegative },
    max_retries: { post: true, put: true, convert: toInt, validate: validateRange(1, 10) },
    http_method: { post: true, put: true, default: 'GET', validate: str },
    url_path: { post: true, put: true, default: '/', validate: str },
    expected_codes: { post: true, put: true, default: '200', validate: validateExpectedCodes },
    admin_state_up: { post: true, put: true, default: true, ...bool },
  },
};

/** A v1 request body through Neutron's attribute pipeline: `{"pool": {...}}` etc. */
export function parseV1(kind: keyof typeof V1_ATTRS, body: unknown, actor: Actor, create: boolean): Parsed {
  const item = unwrapSingular(body, kind);
  const parsed = parseAttributes(item, V1_ATTRS[kind], actor, create);
  if (!create) delete parsed.project_id;
  return parsed;
}

// ---- the mapping ----

const live = (o: { provisioning_status: string }) => o.provisioning_status !== 'PENDING_DELETE';

/** A tree as v1 sees it: its one pool and the listener serving it (the VIP), if any. */
export interface V1Shape {
  tree: LoadBalancerTree;
  pool: Pool;
  vip?: Listener;
}

/** A tree v1 can express: one pool, and no listener but the one whose default pool it is. */
export function v1Shape(tree: LoadBalancerTree): V1Shape | undefined {
  const pools = tree.pools.filter(live);
  const listeners = tree.listeners.filter(live);
  const pool = pools.length === 1 ? pools[0] : tree.pools.length === 1 ? tree.pools[0] : undefined;
  if (!pool) return undefined;
  if (listeners.length > 1 || (listeners[0] && listeners[0].default_pool_id !== pool.id)) return undefined;
  return { tree, pool, vip: listeners[0] };
}

/** Made through v1: the tree and its pool share the id (its VIP address lives and dies with the VIP). */
export const madeByV1 = (shape: V1Shape): boolean => shape.tree.loadbalancer.id === shape.pool.id;

/** A v1 object's status: a pool without VIP waits (PENDING_CREATE) as in Kilo; a member its monitor marked down is INACTIVE. */
function v1Status(tree: LoadBalancerTree, o: { id: string; provisioning_status: string }): string {
  if (o.provisioning_status === 'ACTIVE' && tree.health[o.id] === 'OFFLINE') return 'INACTIVE';
  return o.provisioning_status;
}

/** The v1 monitor id a tree monitor answers to (its template's, or its own for a monitor made through v2). */
export const v1MonitorId = (h: HealthMonitor): string => h.v1_monitor_id ?? h.id;

export function presentV1Pool(shape: V1Shape): Record<string, unknown> {
  const { tree, pool, vip } = shape;
  const lb = tree.loadbalancer;
  const monitors = tree.healthmonitors.filter((h) => h.pool_id === pool.id && live(h));
  const status = !vip && pool.provisioning_status !== 'PENDING_DELETE' ? 'PENDING_CREATE' : v1Status(tree, pool);
  return {
    id: pool.id,
    tenant_id: pool.project_id,
    vip_id: vip?.id ?? null,
    name: pool.name,
    description: pool.description,
    subnet_id: pool.subnet_id ?? lb.vip_subnet_id,
    protocol: pool.protocol,
    provider: lb.provider,
    lb_method: pool.lb_algorithm,
    members: tree.members.filter((m) => m.pool_id === pool.id).map((m) => m.id),
    health_monitors: monitors.map(v1MonitorId),
    health_monitors_status: monitors.map((h) => ({ monitor_id: v1MonitorId(h), status: h.provisioning_status, status_description: null })),
    admin_state_up: pool.admin_state_up,
    status,
    status_description: null,
  };
}

export function presentV1Vip(shape: V1Shape): Record<string, unknown> | undefined {
  const { tree, pool, vip } = shape;
  if (!vip) return undefined;
  const lb = tree.loadbalancer;
  const sp = pool.session_persistence;
  return {
    id: vip.id,
    tenant_id: vip.project_id,
    name: vip.name,
    description: vip.description,
    subnet_id: lb.vip_subnet_id,
    address: lb.vip_address,
    port_id: lb.vip_port_id,
    protocol_port: vip.protocol_port,
    protocol: vip.protocol,
    pool_id: pool.id,
    session_persistence: sp ? { type: sp.type, ...(sp.type === 'APP_COOKIE' ? { cookie_name: sp.cookie_name } : {}) } : null,
    connection_limit: vip.connection_limit,
    admin_state_up: vip.admin_state_up,
    status: v1Status(tree, vip),
    status_description: null,
  };
}

export function presentV1Member(tree: LoadBalancerTree, m: Member): Record<string, unknown> {
  return {
    id: m.id,
    tenant_id: m.project_id,
    pool_id: m.pool_id,
    address: m.address,
    protocol_port: m.protocol_port,
    weight: m.weight,
    admin_state_up: m.admin_state_up,
    status: v1Status(tree, m),
    status_description: null,
  };
}

/** A monitor as v1 shows it: the template (or a tree monitor made through v2) and the pools it serves. */
export function presentV1Monitor(
  m: Pick<V1HealthMonitor, 'id' | 'project_id' | 'type' | 'delay' | 'timeout' | 'max_retries' | 'http_method' | 'url_path' | 'expected_codes' | 'admin_state_up'>,
  served: HealthMonitor[],
): Record<string, unknown> {
  const http = m.type === 'HTTP' || m.type === 'HTTPS';
  return {
    id: m.id,
    tenant_id: m.project_id,
    type: m.type,
    delay: m.delay,
    timeout: m.timeout,
    max_retries: m.max_retries,
    admin_state_up: m.admin_state_up,
    ...(http ? { url_path: m.url_path, http_method: m.http_method, expected_codes: m.expected_codes } : {}),
    pools: served.map((h) => ({ pool_id: h.pool_id, status: h.provisioning_status, status_description: null })),
  };
}

/** The v2 member body a v1 member create becomes: its subnet is the pool's when the address is inside it. */
export function v1MemberBody(attrs: Parsed, subnetId: string | null): { member: Record<string, unknown> } {
  return {
    member: {
      address: attrs.address,
      protocol_port: attrs.protocol_port,
      weight: attrs.weight,
      admin_state_up: attrs.admin_state_up,
      project_id: attrs.project_id,
      ...(subnetId ? { subnet_id: subnetId } : {}),
    },
  };
}

// ---- the standalone v1 health monitor (evt.lbmonitor.<id>) ----

export type LbMonitorEvent = CoreEvent<'lbmonitor.created' | 'lbmonitor.updated' | 'lbmonitor.deleted'>;

export type LbMonitorCommand =
  | { type: 'CreateV1Monitor'; body: unknown; actor: Actor; id: string; now: string }
  | { type: 'UpdateV1Monitor'; body: unknown; actor: Actor; now: string }
  | { type: 'DeleteV1Monitor'; actor: Actor };

export interface LbMonitorState {
  monitor: V1HealthMonitor | undefined;
  /** the pools it serves now (from the trees) */
  pools: string[];
}

function visibleMonitor(state: LbMonitorState, actor: Actor, id = ''): V1HealthMonitor {
  if (!state.monitor || !canSeeLb(state.monitor, actor)) throw v1Errors.monitorNotFound(state.monitor?.id ?? id);
  return state.monitor;
}

const checkDelay = (m: { delay: number; timeout: number }) => {
  if (m.delay < m.timeout) throw v1Errors.delayOrTimeout();
};

function decideMonitor(command: LbMonitorCommand, state: LbMonitorState): LbMonitorEvent[] {
  switch (command.type) {
    case 'CreateV1Monitor': {
      if (state.monitor) throw v1Errors.unsupported(`Health monitor ${command.id} already exists.`);
      const a = parseV1('health_monitor', command.body, command.actor, true);
      const monitor: V1HealthMonitor = {
        id: command.id,
        project_id: a.project_id as string,
        tenant_id: a.project_id as string,
        type: a.type as V1HealthMonitor['type'],
        delay: a.delay as number,
        timeout: a.timeout as number,
        max_retries: a.max_retries as number,
        http_method: a.http_method as string,
        url_path: a.url_path as string,
        expected_codes: a.expected_codes as string,
        admin_state_up: a.admin_state_up as boolean,
        created_at: command.now,
        updated_at: command.now,
      };
      checkDelay(monitor);
      return [{ type: 'lbmonitor.created', data: { monitor } }];
    }
    case 'UpdateV1Monitor': {
      const m = visibleMonitor(state, command.actor);
      const changes = parseV1('health_monitor', command.body, command.actor, false) as Partial<V1HealthMonitor>;
      checkDelay({ ...m, ...changes });
      return [{ type: 'lbmonitor.updated', data: { monitor_id: m.id, changes: { ...changes, updated_at: command.now } } }];
    }
    case 'DeleteV1Monitor': {
      const m = visibleMonitor(state, command.actor);
      if (state.pools.length) throw v1Errors.monitorInUse(m.id);
      return [{ type: 'lbmonitor.deleted', data: { monitor_id: m.id } }];
    }
  }
}

export function evolveV1Monitor(m: V1HealthMonitor | undefined, event: EventLike): V1HealthMonitor | undefined {
  switch (event.type) {
    case 'lbmonitor.created':
      return structuredClone(dataOf(event, 'lbmonitor.created').monitor);
    case 'lbmonitor.updated':
      return m && { ...m, ...structuredClone(dataOf(event, 'lbmonitor.updated').changes) };
    case 'lbmonitor.deleted':
      return undefined;
    default:
      return m;
  }
}

export const lbMonitorDecider: Decider<LbMonitorCommand, LbMonitorState, LbMonitorEvent> = {
  decide: decideMonitor,
  evolve: (state, event) => ({ ...state, monitor: evolveV1Monitor(state.monitor, event) }),
  initialState: () => ({ monitor: undefined, pools: [] }),
};
