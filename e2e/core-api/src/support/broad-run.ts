import { AGENTS_BUCKET, agentId, type AgentHeartbeat } from '@neutrino/agent-kit';
import { decideHealthReport, decideProvisioned, decideTornDown, evolveLoadBalancerTree, type CoreEvent, type LoadBalancerTree } from '@neutrino/domain';
import { waitFor } from '@neutrino/testing';
import { member, type SuiteFixture } from '@neutrino/testing-suite';

const HOST = 'events-lb-host';
const BINARY = 'neutrino-lbaas-agent';
const LB_AGENT = agentId(HOST, BINARY);
const agentActor = { user_id: `agent:${BINARY}@${HOST}`, project_id: null, roles: ['service'] };

/**
 * A broad run of API calls through the gateway, each answered 2xx: networks,
 * subnets, ports, routers and floating IPs, security groups, RBAC, quotas,
 * address scopes and subnet pools, a bulk create, tags, LBaaS v2 and v1,
 * FWaaS v2 and VPNaaS, with updates and deletes — what the event catalogue's
 * schema test and the subscribers' test read back from the log. The LBaaS
 * agent is stood in for as in lbaas-api.e2e.spec.ts (its registration,
 * heartbeat and provisioning reports decided by the domain's report decider).
 */
export async function broadRun(fx: SuiteFixture): Promise<() => void> {
  const alice = member('ev-alice');
  const ok = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fx.api(method, url, body, headers);
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  // networks, subnets, ports
  const net = (await ok('POST', '/v2.0/networks', { network: { name: 'ev-net' } }, alice)).network;
  await ok('PUT', `/v2.0/networks/${net.id}`, { network: { name: 'ev-net-1', description: 'renamed' } }, alice);
  await ok('PUT', `/v2.0/networks/${net.id}/tags/blue`, undefined, alice);
  const sub = (await ok('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.61.0.0/24', ip_version: 4, name: 'ev-sub' } }, alice)).subnet;
  await ok('PUT', `/v2.0/subnets/${sub.id}`, { subnet: { name: 'ev-sub-1', dns_nameservers: ['10.61.0.53'] } }, alice);
  await ok('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: 'fd61::/64', ip_version: 6, ipv6_address_mode: 'slaac', ipv6_ra_mode: 'slaac' } }, alice);
  const port = (await ok('POST', '/v2.0/ports', { port: { network_id: net.id, name: 'ev-port', device_owner: 'compute:nova', device_id: 'vm-1' } }, alice)).port;
  await ok('PUT', `/v2.0/ports/${port.id}`, { port: { name: 'ev-port-1', allowed_address_pairs: [{ ip_address: '10.61.0.200' }] } }, alice);
  const spare = (await ok('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ subnet_id: sub.id, ip_address: '10.61.0.77' }] } }, alice)).port;
  await ok('DELETE', `/v2.0/ports/${spare.id}`, undefined, alice);
  await ok('POST', '/v2.0/networks', { networks: [{ name: 'ev-bulk-1' }, { name: 'ev-bulk-2' }] }, alice);
  const bulkPorts = (await ok('POST', '/v2.0/ports', { ports: [{ network_id: net.id, name: 'ev-b1' }, { network_id: net.id, name: 'ev-b2' }] }, alice)).ports;
  for (const p of bulkPorts) await ok('DELETE', `/v2.0/ports/${p.id}`, undefined, alice);

  // security groups
  const sg = (await ok('POST', '/v2.0/security-groups', { security_group: { name: 'ev-sg' } }, alice)).security_group;
  await ok('PUT', `/v2.0/security-groups/${sg.id}`, { security_group: { description: 'web' } }, alice);
  const rule = (await ok('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 80, port_range_max: 80, remote_ip_prefix: '0.0.0.0/0' } }, alice)).security_group_rule;
  await ok('DELETE', `/v2.0/security-group-rules/${rule.id}`, undefined, alice);

  // an external network, a router with an interface and a gateway, a floating IP
  const ext = (await ok('POST', '/v2.0/networks', { network: { name: 'ev-public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } })).network;
  await ok('POST', '/v2.0/subnets', { subnet: { network_id: ext.id, cidr: '10.62.0.0/24', ip_version: 4, enable_dhcp: false } });
  const router = (await ok('POST', '/v2.0/routers', { router: { name: 'ev-router' } }, alice)).router;
  await ok('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: sub.id }, alice);
  await ok('PUT', `/v2.0/routers/${router.id}`, { router: { external_gateway_info: { network_id: ext.id } } }, alice);
  const fip = (await ok('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: port.id } }, alice)).floatingip;
  await ok('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: null } }, alice);
  await ok('DELETE', `/v2.0/floatingips/${fip.id}`, undefined, alice);

  // RBAC and quotas
  const rbac = (await ok('POST', '/v2.0/rbac-policies', { rbac_policy: { object_type: 'network', object_id: net.id, action: 'access_as_shared', target_tenant: 'ev-bob' } }, alice)).rbac_policy;
  await ok('PUT', `/v2.0/rbac-policies/${rbac.id}`, { rbac_policy: { target_tenant: 'ev-carol' } }, alice);
  await ok('DELETE', `/v2.0/rbac-policies/${rbac.id}`, undefined, alice);
  await ok('PUT', '/v2.0/quotas/ev-alice', { quota: { network: 50 } });
  await ok('DELETE', '/v2.0/quotas/ev-alice');

  // address scopes and subnet pools
  const scope = (await ok('POST', '/v2.0/address-scopes', { address_scope: { name: 'ev-scope', ip_version: 4 } }, alice)).address_scope;
  await ok('PUT', `/v2.0/address-scopes/${scope.id}`, { address_scope: { name: 'ev-scope-1' } }, alice);
  const pool = (await ok('POST', '/v2.0/subnetpools', { subnetpool: { name: 'ev-pool', prefixes: ['10.70.0.0/16'], default_prefixlen: 24, address_scope_id: scope.id } }, alice)).subnetpool;
  await ok('PUT', `/v2.0/subnetpools/${pool.id}/add_prefixes`, { prefixes: ['10.71.0.0/16'] }, alice);
  const poolNet = (await ok('POST', '/v2.0/networks', { network: { name: 'ev-pool-net' } }, alice)).network;
  const pooled = (await ok('POST', '/v2.0/subnets', { subnet: { network_id: poolNet.id, ip_version: 4, subnetpool_id: pool.id } }, alice)).subnet;
  await ok('DELETE', `/v2.0/subnets/${pooled.id}`, undefined, alice);
  const dflt = (await ok('POST', '/v2.0/subnetpools', { subnetpool: { name: 'ev-default', prefixes: ['10.90.0.0/16'], is_default: true, shared: true } })).subnetpool;
  await ok('DELETE', `/v2.0/subnetpools/${dflt.id}`);

  // FWaaS v2 on the router's interface
  const fwRule = (await ok('POST', '/v2.0/fwaas/firewall_rules', { firewall_rule: { protocol: 'tcp', destination_port: '80', action: 'allow' } }, alice)).firewall_rule;
  await ok('PUT', `/v2.0/fwaas/firewall_rules/${fwRule.id}`, { firewall_rule: { name: 'http' } }, alice);
  const fwPolicy = (await ok('POST', '/v2.0/fwaas/firewall_policies', { firewall_policy: { name: 'ev-web', firewall_rules: [fwRule.id] } }, alice)).firewall_policy;
  const iface = (await ok('GET', `/v2.0/ports?device_id=${router.id}&device_owner=network:router_interface`, undefined, alice)).ports[0].id;
  const fwg = (await ok('POST', '/v2.0/fwaas/firewall_groups', { firewall_group: { name: 'ev-edge', ingress_firewall_policy_id: fwPolicy.id, ports: [iface] } }, alice)).firewall_group;
  await ok('PUT', `/v2.0/fwaas/firewall_groups/${fwg.id}`, { firewall_group: { ports: [] } }, alice);
  await ok('DELETE', `/v2.0/fwaas/firewall_groups/${fwg.id}`, undefined, alice);
  await ok('DELETE', `/v2.0/fwaas/firewall_policies/${fwPolicy.id}`, undefined, alice);
  await ok('DELETE', `/v2.0/fwaas/firewall_rules/${fwRule.id}`, undefined, alice);

  // VPNaaS on the router
  const V = '/v2.0/vpn';
  const ike = (await ok('POST', `${V}/ikepolicies`, { ikepolicy: { name: 'ev-ike' } }, alice)).ikepolicy;
  const ipsec = (await ok('POST', `${V}/ipsecpolicies`, { ipsecpolicy: { name: 'ev-ipsec' } }, alice)).ipsecpolicy;
  const svc = (await ok('POST', `${V}/vpnservices`, { vpnservice: { router_id: router.id, subnet_id: sub.id } }, alice)).vpnservice;
  const conn = (await ok('POST', `${V}/ipsec-site-connections`, {
    ipsec_site_connection: { vpnservice_id: svc.id, ikepolicy_id: ike.id, ipsecpolicy_id: ipsec.id, peer_address: '10.62.0.200', peer_id: '10.62.0.200', psk: 's', peer_cidrs: ['10.80.0.0/24'] },
  }, alice)).ipsec_site_connection;
  await ok('DELETE', `${V}/ipsec-site-connections/${conn.id}`, undefined, alice);
  await ok('PUT', `${V}/ikepolicies/${ike.id}`, { ikepolicy: { description: 'ev' } }, alice);
  await ok('DELETE', `${V}/vpnservices/${svc.id}`, undefined, alice);
  await ok('DELETE', `${V}/ikepolicies/${ike.id}`, undefined, alice);

  // LBaaS v2 with a stood-in agent, and a v1 health monitor
  const now = new Date().toISOString();
  await fx.store.append([{
    type: 'agent.registered', aggregate: { type: 'agent', id: LB_AGENT }, actor: agentActor, request_id: null, causation_id: null,
    data: { agent: { id: LB_AGENT, agent_type: 'Loadbalancerv2 agent', binary: BINARY, host: HOST, topic: 'n-lbaasv2-agent', description: '', admin_state_up: true, configurations: {}, created_at: now, started_at: now } },
  }], { expectedSubjectSeq: 0 });
  const beats = await fx.store.heartbeats(AGENTS_BUCKET, 75_000);
  const beat = () => beats.put(LB_AGENT, {
    id: LB_AGENT, host: HOST, binary: BINARY, heartbeat_timestamp: new Date().toISOString(), started_at: now, configurations: {}, synced: true, applied_seq: 0, last_changes: 0,
  } satisfies AgentHeartbeat);
  await beat();
  const timer = setInterval(() => void beat().catch(() => undefined), 5_000);
  /** Appends what the hosting agent would report, decided by the domain on the load balancer's subject. */
  const report = async (lbId: string, decide: (tree: LoadBalancerTree | undefined) => CoreEvent | null) => {
    let tree: LoadBalancerTree | undefined;
    let seq = 0;
    for (const e of await fx.store.readSubject(`evt.loadbalancer.${lbId}`)) {
      tree = evolveLoadBalancerTree(tree, e);
      seq = e.seq;
    }
    const decided = decide(tree);
    if (!decided) throw new Error(`nothing to report on ${lbId}`);
    await fx.store.append([{ ...decided, aggregate: { type: 'loadbalancer', id: lbId }, actor: agentActor, request_id: null, causation_id: null }], { expectedSubjectSeq: seq });
  };
  const lbStatus = async (lbId: string) => (await fx.api('GET', `/v2/lbaas/loadbalancers/${lbId}`)).body?.loadbalancer?.provisioning_status;
  const provision = async (lbId: string) => {
    await report(lbId, (tree) => decideProvisioned(tree, HOST, tree!.loadbalancer.config_version));
    await waitFor(async () => (await lbStatus(lbId)) === 'ACTIVE', { timeoutMs: 30_000, message: `load balancer ${lbId} did not go ACTIVE` });
  };
  const L = '/v2/lbaas';
  const lb = (await ok('POST', `${L}/loadbalancers`, { loadbalancer: { name: 'ev-lb', vip_subnet_id: sub.id } }, alice)).loadbalancer;
  await provision(lb.id);
  const listener = (await ok('POST', `${L}/listeners`, { listener: { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: 80 } }, alice)).listener;
  await provision(lb.id);
  const lbPool = (await ok('POST', `${L}/pools`, { pool: { listener_id: listener.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } }, alice)).pool;
  await provision(lb.id);
  const lbMember = (await ok('POST', `${L}/pools/${lbPool.id}/members`, { member: { address: '10.61.0.10', protocol_port: 80, subnet_id: sub.id } }, alice)).member;
  await provision(lb.id);
  await ok('POST', `${L}/healthmonitors`, { healthmonitor: { pool_id: lbPool.id, type: 'HTTP', delay: 5, timeout: 3, max_retries: 3 } }, alice);
  await provision(lb.id);
  await ok('PUT', `${L}/pools/${lbPool.id}/members/${lbMember.id}`, { member: { weight: 5 } }, alice);
  await provision(lb.id);
  await ok('PUT', `${L}/loadbalancers/${lb.id}`, { loadbalancer: { description: 'front' } }, alice);
  await provision(lb.id);
  await report(lb.id, (tree) => decideHealthReport(tree, HOST, { [lbMember.id]: 'ONLINE' }));
  await ok('DELETE', `${L}/loadbalancers/${lb.id}?cascade=true`, undefined, alice);
  await report(lb.id, (tree) => decideTornDown(tree, HOST));
  await waitFor(async () => (await fx.api('GET', `${L}/loadbalancers/${lb.id}`)).status === 404, { timeoutMs: 30_000, message: `load balancer ${lb.id} was not deleted` });
  const mon = (await ok('POST', '/v2.0/lb/health_monitors', { health_monitor: { type: 'PING', delay: 5, timeout: 3, max_retries: 3 } }, alice)).health_monitor;
  await ok('PUT', `/v2.0/lb/health_monitors/${mon.id}`, { health_monitor: { delay: 6 } }, alice);
  await ok('DELETE', `/v2.0/lb/health_monitors/${mon.id}`, undefined, alice);

  // tear down: the router, the security group, the network with its subnets
  await ok('PUT', `/v2.0/routers/${router.id}`, { router: { external_gateway_info: {} } }, alice);
  await ok('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: sub.id }, alice);
  await ok('DELETE', `/v2.0/routers/${router.id}`, undefined, alice);
  await ok('DELETE', `/v2.0/security-groups/${sg.id}`, undefined, alice);
  await ok('DELETE', `/v2.0/ports/${port.id}`, undefined, alice);
  await ok('DELETE', `/v2.0/networks/${net.id}`, undefined, alice);
  return () => clearInterval(timer);
}
