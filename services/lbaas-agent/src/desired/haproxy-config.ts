import type { HealthMonitor, LbObject, Listener, LoadBalancerTree, Member, Pool } from '@neutrino/domain';

/** What the config takes beside the tree. */
export interface HaproxyConfigSettings {
  /** the directory of the load balancer's files (`<dataDir>/lbaas/v2/<lb_id>`): the stats socket is `<dir>/sock` */
  dir: string;
  /** the group HAProxy's workers run as (Debian: nogroup) */
  userGroup: string;
}

/** Octavia's listener defaults: the `defaults` section's timeouts, so a listener that keeps them adds no line. */
const DEFAULT_CLIENT_MS = 50000;
const DEFAULT_CONNECT_MS = 5000;
const DEFAULT_SERVER_MS = 50000;
/** HAProxy's own `rise` when a server line names none. */
const HAPROXY_DEFAULT_RISE = 2;

const live = <T extends LbObject>(o: T): boolean => o.provisioning_status !== 'PENDING_DELETE';

const BALANCE: Record<Pool['lb_algorithm'], string> = { ROUND_ROBIN: 'roundrobin', LEAST_CONNECTIONS: 'leastconn', SOURCE_IP: 'source' };

/** HTTP is `mode http`; TCP and HTTPS (passed through, no offload) are `mode tcp` (spec/lbaas.md §4.6). */
const modeOf = (protocol: string): 'http' | 'tcp' => (protocol === 'HTTP' ? 'http' : 'tcp');

/**
 * `expected_codes` as the regular expression of `http-check expect rstatus`
 * (spec/lbaas.md §7.2): `200` → `200`, `200,202` → `200|202`, `200-204` →
 * `200|201|202|203|204`.
 */
export function expectedCodesPattern(codes: string): string {
  const out: string[] = [];
  for (const part of codes.split(',').map((s) => s.trim()).filter(Boolean)) {
    const range = /^(\d{3})-(\d{3})$/.exec(part);
    if (range) for (let c = Number(range[1]); c <= Number(range[2]); c++) out.push(String(c));
    else out.push(part);
  }
  return out.join('|');
}

/** The pool's monitor (one per pool; with several only the first is rendered), if it checks. */
function monitorOf(tree: LoadBalancerTree, pool: Pool): HealthMonitor | undefined {
  return tree.healthmonitors.find((h) => h.pool_id === pool.id && live(h) && h.admin_state_up);
}

function serverLine(m: Member, monitor: HealthMonitor | undefined, cookie: number | undefined): string {
  let line = `server ${m.id} ${m.address}:${m.protocol_port} weight ${m.weight}`;
  if (monitor) {
    // Octavia's v2 monitor: max_retries_down is the failures before DOWN (fall), max_retries the successes before UP (rise).
    // rise is written only when it is not HAProxy's own default, which keeps the spec's golden form of a v1 monitor.
    line += ` check inter ${monitor.delay}s fall ${monitor.max_retries_down}`;
    if (monitor.max_retries !== HAPROXY_DEFAULT_RISE) line += ` rise ${monitor.max_retries}`;
    if (m.monitor_address) line += ` addr ${m.monitor_address}`;
    if (m.monitor_port) line += ` port ${m.monitor_port}`;
  }
  if (m.backup) line += ' backup';
  if (cookie !== undefined) line += ` cookie ${cookie}`;
  return line;
}

function frontend(tree: LoadBalancerTree, l: Listener): string[] {
  const mode = modeOf(l.protocol);
  const lines = [`frontend ${l.id}`, 'option tcplog', `bind ${tree.loadbalancer.vip_address}:${l.protocol_port}`, `mode ${mode}`];
  const pool = l.default_pool_id ? tree.pools.find((p) => p.id === l.default_pool_id && live(p)) : undefined;
  if (pool) lines.push(`default_backend ${pool.id}`);
  if (l.connection_limit >= 0) lines.push(`maxconn ${l.connection_limit}`);
  if (mode === 'http') lines.push('option forwardfor');
  if (l.timeout_client_data !== DEFAULT_CLIENT_MS) lines.push(`timeout client ${l.timeout_client_data}`);
  return lines;
}

function backend(tree: LoadBalancerTree, pool: Pool): string[] {
  const mode = modeOf(pool.protocol);
  const lines = [`backend ${pool.id}`, `mode ${mode}`, `balance ${BALANCE[pool.lb_algorithm]}`];
  if (mode === 'http') lines.push('option forwardfor');
  const listener = tree.listeners.find((l) => l.default_pool_id === pool.id && live(l));
  if (listener && listener.timeout_member_connect !== DEFAULT_CONNECT_MS) lines.push(`timeout connect ${listener.timeout_member_connect}`);
  if (listener && listener.timeout_member_data !== DEFAULT_SERVER_MS) lines.push(`timeout server ${listener.timeout_member_data}`);
  const monitor = monitorOf(tree, pool);
  if (monitor) lines.push(`timeout check ${monitor.timeout}s`);
  const persistence = pool.session_persistence;
  if (persistence?.type === 'SOURCE_IP') lines.push('stick-table type ip size 10k', 'stick on src');
  else if (persistence?.type === 'HTTP_COOKIE') lines.push('cookie SRV insert indirect nocache');
  else if (persistence?.type === 'APP_COOKIE' && persistence.cookie_name) {
    // `appsession <name> len 56 timeout 3h` (the spec's form) is gone since HAProxy 1.6: the same learning of the
    // application's cookie (56 characters kept, forgotten after 3 h unused) is a string stick table.
    const c = persistence.cookie_name;
    lines.push('stick-table type string len 56 size 10k expire 3h', `stick store-response res.cook(${c})`, `stick match req.cook(${c})`);
  }
  if (monitor && (monitor.type === 'HTTP' || monitor.type === 'HTTPS')) {
    lines.push(`option httpchk ${monitor.http_method} ${monitor.url_path}`, `http-check expect rstatus ${expectedCodesPattern(monitor.expected_codes)}`);
    if (monitor.type === 'HTTPS') lines.push('option ssl-hello-chk');
  }
  // PING and TCP are the same connect check (HAProxy sends no ICMP)
  const members = tree.members.filter((m) => m.pool_id === pool.id && live(m) && m.admin_state_up);
  const cookies = persistence?.type === 'HTTP_COOKIE';
  members.forEach((m, i) => lines.push(serverLine(m, monitor, cookies ? i : undefined)));
  return lines;
}

/** The listeners HAProxy serves: not being deleted, enabled. */
export const servedListeners = (tree: LoadBalancerTree): Listener[] => tree.listeners.filter((l) => live(l) && l.admin_state_up);

/**
 * The `haproxy.conf` of one load balancer (spec/lbaas.md §4 in v2's shape, §10):
 * `global` and `defaults` constant but for the stats socket and the group,
 * a `frontend <listener_id>` per listener, a `backend <pool_id>` per pool a
 * served listener uses; headers at column 0, options indented by two spaces.
 */
export function renderHaproxyConfig(tree: LoadBalancerTree, cfg: HaproxyConfigSettings): string {
  const sections: string[][] = [
    ['global', 'daemon', 'user nobody', `group ${cfg.userGroup}`, 'log /dev/log local0', 'log /dev/log local1 notice', `stats socket ${cfg.dir}/sock mode 0666 level user`],
    ['defaults', 'log global', 'retries 3', 'option redispatch', `timeout connect ${DEFAULT_CONNECT_MS}`, `timeout client ${DEFAULT_CLIENT_MS}`, `timeout server ${DEFAULT_SERVER_MS}`],
  ];
  const listeners = servedListeners(tree);
  for (const l of listeners) sections.push(frontend(tree, l));
  const used = new Set(listeners.map((l) => l.default_pool_id));
  for (const p of tree.pools) if (live(p) && used.has(p.id)) sections.push(backend(tree, p));
  return sections.map(([head, ...body]) => [head, ...body.map((b) => `  ${b}`)].join('\n')).join('\n') + '\n';
}
