/** The tree's objects as Octavia's v2 API shows them (api-ref), with derived operating statuses. */
import type { HealthMonitor, Listener, LoadBalancer, LoadBalancerTree, Member, OperatingStatus, Pool } from './model';

/** Octavia's timestamps: "2017-02-28T00:41:44", updated_at null until the first update. */
const ts = (iso: string) => iso.replace(/(\.\d+)?Z$/, '');
const times = (o: { created_at: string; updated_at: string }) => ({ created_at: ts(o.created_at), updated_at: o.updated_at === o.created_at ? null : ts(o.updated_at) });
const ids = (list: Array<{ id: string }>) => list.map((o) => ({ id: o.id }));
const neverProvisioned = (o: { provisioning_status: string }) => o.provisioning_status === 'PENDING_CREATE';

/** Operating statuses of every object of the tree, derived from admin state, provisioning and the agent's member health. */
export function operatingStatuses(tree: LoadBalancerTree): Map<string, OperatingStatus> {
  const out = new Map<string, OperatingStatus>();
  const offline = (o: { admin_state_up: boolean; provisioning_status: string }) => !o.admin_state_up || neverProvisioned(o);
  const combine = (parts: OperatingStatus[]): OperatingStatus => {
    const bad = parts.filter((s) => s === 'ERROR' || s === 'OFFLINE' || s === 'DEGRADED');
    if (!bad.length) return 'ONLINE';
    return bad.length === parts.length && bad.every((s) => s !== 'DEGRADED') ? 'ERROR' : 'DEGRADED';
  };
  for (const p of tree.pools) {
    const monitored = tree.healthmonitors.some((h) => h.pool_id === p.id && h.admin_state_up);
    const members = tree.members.filter((m) => m.pool_id === p.id);
    for (const m of members) {
      const reported = tree.health[m.id];
      out.set(m.id, offline(m) || reported === 'OFFLINE' ? 'OFFLINE' : reported ?? (monitored ? 'ONLINE' : 'NO_MONITOR'));
    }
    const enabled = members.filter((m) => m.admin_state_up).map((m) => out.get(m.id)!);
    out.set(p.id, offline(p) ? 'OFFLINE' : combine(enabled));
  }
  for (const h of tree.healthmonitors) out.set(h.id, offline(h) ? 'OFFLINE' : 'ONLINE');
  for (const l of tree.listeners) {
    const pool = l.default_pool_id ? out.get(l.default_pool_id) : undefined;
    out.set(l.id, offline(l) ? 'OFFLINE' : pool === 'ERROR' ? 'ERROR' : pool === 'DEGRADED' ? 'DEGRADED' : 'ONLINE');
  }
  const lb = tree.loadbalancer;
  const listeners = tree.listeners.filter((l) => l.admin_state_up).map((l) => out.get(l.id)!);
  out.set(lb.id, offline(lb) ? 'OFFLINE' : combine(listeners));
  return out;
}

const baseOf = (o: { id: string; name: string; description: string; provisioning_status: string; admin_state_up: boolean; project_id: string; tags: string[]; created_at: string; updated_at: string }, op: OperatingStatus) => ({
  id: o.id,
  name: o.name,
  description: o.description,
  provisioning_status: o.provisioning_status,
  operating_status: op,
  admin_state_up: o.admin_state_up,
  project_id: o.project_id,
  tenant_id: o.project_id,
  ...times(o),
  tags: [...o.tags],
});

export function presentLoadBalancer(tree: LoadBalancerTree, ops = operatingStatuses(tree)): Record<string, unknown> {
  const lb: LoadBalancer = tree.loadbalancer;
  return {
    ...baseOf(lb, ops.get(lb.id)!),
    vip_address: lb.vip_address,
    vip_port_id: lb.vip_port_id,
    vip_subnet_id: lb.vip_subnet_id,
    vip_network_id: lb.vip_network_id,
    vip_qos_policy_id: null,
    listeners: ids(tree.listeners),
    pools: ids(tree.pools),
    provider: lb.provider,
    flavor_id: null,
    availability_zone: null,
  };
}

export function presentListener(tree: LoadBalancerTree, l: Listener, ops = operatingStatuses(tree)): Record<string, unknown> {
  return {
    ...baseOf(l, ops.get(l.id)!),
    protocol: l.protocol,
    protocol_port: l.protocol_port,
    connection_limit: l.connection_limit,
    default_tls_container_ref: null,
    sni_container_refs: [],
    default_pool_id: l.default_pool_id,
    l7policies: [],
    insert_headers: { ...l.insert_headers },
    loadbalancers: [{ id: l.loadbalancer_id }],
    timeout_client_data: l.timeout_client_data,
    timeout_member_connect: l.timeout_member_connect,
    timeout_member_data: l.timeout_member_data,
    timeout_tcp_inspect: l.timeout_tcp_inspect,
    client_ca_tls_container_ref: null,
    client_authentication: 'NONE',
    client_crl_container_ref: null,
    allowed_cidrs: l.allowed_cidrs,
    tls_ciphers: null,
    tls_versions: null,
    alpn_protocols: null,
  };
}

export function presentPool(tree: LoadBalancerTree, p: Pool, ops = operatingStatuses(tree)): Record<string, unknown> {
  return {
    ...baseOf(p, ops.get(p.id)!),
    protocol: p.protocol,
    lb_algorithm: p.lb_algorithm,
    session_persistence: p.session_persistence,
    loadbalancers: [{ id: p.loadbalancer_id }],
    listeners: p.listener_id ? [{ id: p.listener_id }] : [],
    members: ids(tree.members.filter((m) => m.pool_id === p.id)),
    healthmonitor_id: p.healthmonitor_id,
    tls_enabled: false,
    tls_container_ref: null,
    ca_tls_container_ref: null,
    crl_container_ref: null,
    tls_ciphers: null,
    tls_versions: null,
    alpn_protocols: null,
  };
}

export function presentMember(tree: LoadBalancerTree, m: Member, ops = operatingStatuses(tree)): Record<string, unknown> {
  const { description: _d, ...rest } = baseOf(m, ops.get(m.id)!);
  return {
    ...rest,
    address: m.address,
    protocol_port: m.protocol_port,
    weight: m.weight,
    backup: m.backup,
    subnet_id: m.subnet_id,
    monitor_address: m.monitor_address,
    monitor_port: m.monitor_port,
  };
}

export function presentHealthMonitor(tree: LoadBalancerTree, h: HealthMonitor, ops = operatingStatuses(tree)): Record<string, unknown> {
  const http = h.type === 'HTTP' || h.type === 'HTTPS';
  const { description: _d, ...rest } = baseOf(h, ops.get(h.id)!);
  return {
    ...rest,
    type: h.type,
    delay: h.delay,
    timeout: h.timeout,
    max_retries: h.max_retries,
    max_retries_down: h.max_retries_down,
    http_method: http ? h.http_method : null,
    url_path: http ? h.url_path : null,
    expected_codes: http ? h.expected_codes : null,
    http_version: null,
    domain_name: null,
    pools: [{ id: h.pool_id }],
  };
}

/** GET /v2/lbaas/loadbalancers/<id>/status: the status tree, pools under the listener they serve. */
export function presentStatusTree(tree: LoadBalancerTree): Record<string, unknown> {
  const ops = operatingStatuses(tree);
  const st = (o: { id: string; provisioning_status: string }) => ({ id: o.id, provisioning_status: o.provisioning_status, operating_status: ops.get(o.id)! });
  const pool = (p: Pool) => {
    const hm = tree.healthmonitors.find((h) => h.pool_id === p.id);
    return {
      ...st(p),
      name: p.name,
      ...(hm ? { health_monitor: { ...st(hm), name: hm.name, type: hm.type } } : {}),
      members: tree.members.filter((m) => m.pool_id === p.id).map((m) => ({ ...st(m), name: m.name, address: m.address, protocol_port: m.protocol_port })),
    };
  };
  const lb = tree.loadbalancer;
  return {
    statuses: {
      loadbalancer: {
        ...st(lb),
        name: lb.name,
        listeners: tree.listeners.map((l) => ({ ...st(l), name: l.name, pools: tree.pools.filter((p) => p.listener_id === l.id).map(pool) })),
      },
    },
  };
}
