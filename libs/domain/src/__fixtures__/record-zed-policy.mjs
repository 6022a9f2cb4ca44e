#!/usr/bin/env node
// Records the reference Neutron's policy answers (Zed 21.0.0, see /work/shared/reference-neutron)
// into zed-policy.json: one case per resource × action × caller × kind of target, each with the
// steps that make its own fresh objects, the request, and the answer (status, error type and, for
// list cases, whether the target was listed). Run by hand against a fresh server, never by tests:
//   NEUTRON_PORT=9811 .../neutron/start.sh --fresh
//   node libs/domain/src/__fixtures__/record-zed-policy.mjs [http://127.0.0.1:9811]
// The fixture is self-describing: e2e/core-api/src/policy.e2e.spec.ts replays the same steps
// and requests against Neutrino. In steps and requests, "{key}" is the id of the object the
// step named `key` made; callers are named (see CALLERS), never headers.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE = (process.argv[2] ?? 'http://127.0.0.1:9811') + '/v2.0';
const HERE = dirname(fileURLToPath(import.meta.url));
const P1 = 'pol-p1';
const P2 = 'pol-p2';
/** admin: another project's admin; owner: a member of the project that owns the target; other: a member of another project; reader: the owner's project with the reader role only. */
const CALLERS = {
  admin: { 'X-Project-Id': 'pol-adm', 'X-User-Id': 'pol-admin', 'X-Roles': 'admin' },
  owner: { 'X-Project-Id': P1, 'X-User-Id': 'pol-owner', 'X-Roles': 'member' },
  other: { 'X-Project-Id': P2, 'X-User-Id': 'pol-other', 'X-Roles': 'member' },
  reader: { 'X-Project-Id': P1, 'X-User-Id': 'pol-reader', 'X-Roles': 'reader' },
};
const CALLER_NAMES = Object.keys(CALLERS);

async function call(method, path, body, who) {
  const headers = { ...CALLERS[who], Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = text; }
  return { status: res.status, body: json };
}

/** Replaces "{key}" by the id of what step `key` made, in strings and in nested bodies. */
function fill(v, ids) {
  if (typeof v === 'string') return v.replace(/\{(\w+)\}/g, (_, k) => {
    if (!(k in ids)) throw new Error(`no object named ${k}`);
    return ids[k];
  });
  if (Array.isArray(v)) return v.map((x) => fill(x, ids));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, ids)]));
  return v;
}

// ---- what a case's own objects are made of (all made by the admin, owned as stated) ----
const net = (key, extra = {}, project = P1) => ({ key, method: 'POST', path: '/networks', body: { network: { name: `pol-${key}`, project_id: project, ...extra } } });
const sub = (key, netKey, cidr, project = P1) => ({
  key, method: 'POST', path: '/subnets', body: { subnet: { name: `pol-${key}`, network_id: `{${netKey}}`, cidr, ip_version: 4, project_id: project } },
});
const NETWORKS = {
  private: [net('net')],
  shared: [net('net', { shared: true })],
  external: [net('net', { 'router:external': true })],
};
/** A network of the kind, owned by the owner's project, with a subnet. */
const withSubnet = (kind) => [...NETWORKS[kind], sub('sub', 'net', '10.80.0.0/24')];
const extNet = (key = 'ext') => [net(key, { 'router:external': true }, 'pol-adm'), sub(`${key}sub`, key, '172.24.0.0/24', 'pol-adm')];

const cases = [];
/** One case per caller. */
function each(c) {
  for (const caller of CALLER_NAMES) cases.push({ ...c, caller, name: `${c.resource} ${c.action} on ${c.target} as ${caller}` });
}
/** show, list, update, delete of one object (`key`) made by `setup`. */
function crud(resource, target, setup, key, collection, update) {
  each({ resource, action: 'show', target, setup, request: { method: 'GET', path: `/${collection}/{${key}}` } });
  each({ resource, action: 'list', target, setup, request: { method: 'GET', path: `/${collection}?id={${key}}` }, listed: `{${key}}` });
  if (update) each({ resource, action: 'update', target, setup, request: { method: 'PUT', path: `/${collection}/{${key}}`, body: update } });
  each({ resource, action: 'delete', target, setup, request: { method: 'DELETE', path: `/${collection}/{${key}}` } });
}

// networks: private, shared and external, owned by the owner's project
for (const kind of Object.keys(NETWORKS)) {
  const extra = kind === 'shared' ? { shared: true } : kind === 'external' ? { 'router:external': true } : {};
  each({ resource: 'network', action: 'create', target: kind, setup: [], request: { method: 'POST', path: '/networks', body: { network: { name: 'pol-new', ...extra } } } });
  crud('network', kind, NETWORKS[kind], 'net', 'networks', { network: { name: 'pol-renamed' } });
}

// subnets on the owner's private, shared and external networks
for (const kind of Object.keys(NETWORKS)) {
  each({
    resource: 'subnet', action: 'create', target: `${kind} network`, setup: NETWORKS[kind],
    request: { method: 'POST', path: '/subnets', body: { subnet: { network_id: '{net}', cidr: '10.81.0.0/24', ip_version: 4 } } },
  });
  crud('subnet', `${kind} network`, withSubnet(kind), 'sub', 'subnets', { subnet: { name: 'pol-renamed' } });
}

// ports on the owner's private, shared and external networks; and another project's port on the owner's shared network
for (const kind of Object.keys(NETWORKS)) {
  each({
    resource: 'port', action: 'create', target: `${kind} network`, setup: withSubnet(kind),
    request: { method: 'POST', path: '/ports', body: { port: { network_id: '{net}' } } },
  });
  const port = { key: 'port', method: 'POST', path: '/ports', body: { port: { name: 'pol-port', network_id: '{net}', project_id: P1 } } };
  crud('port', `${kind} network`, [...withSubnet(kind), port], 'port', 'ports', { port: { name: 'pol-renamed' } });
}
{
  const foreign = { key: 'port', method: 'POST', path: '/ports', body: { port: { name: 'pol-foreign', network_id: '{net}', project_id: 'pol-p3' } } };
  crud('port', "a third project's port on the shared network", [...withSubnet('shared'), foreign], 'port', 'ports', { port: { name: 'pol-renamed' } });
}

// routers: the owner's router; its interfaces with its own subnet and with another project's shared subnet
{
  const router = { key: 'router', method: 'POST', path: '/routers', body: { router: { name: 'pol-router', project_id: P1 } } };
  each({ resource: 'router', action: 'create', target: 'no gateway', setup: [], request: { method: 'POST', path: '/routers', body: { router: { name: 'pol-new' } } } });
  each({
    resource: 'router', action: 'create', target: 'gateway on an external network', setup: extNet(),
    request: { method: 'POST', path: '/routers', body: { router: { name: 'pol-new', external_gateway_info: { network_id: '{ext}' } } } },
  });
  crud('router', 'own router', [router], 'router', 'routers', { router: { name: 'pol-renamed' } });
  const own = [router, ...withSubnet('private')];
  each({ resource: 'router', action: 'add_router_interface', target: "own subnet", setup: own, request: { method: 'PUT', path: '/routers/{router}/add_router_interface', body: { subnet_id: '{sub}' } } });
  const shared = [router, net('net', { shared: true }, P2), sub('sub', 'net', '10.82.0.0/24', P2)];
  each({
    resource: 'router', action: 'add_router_interface', target: "another project's shared subnet", setup: shared,
    request: { method: 'PUT', path: '/routers/{router}/add_router_interface', body: { subnet_id: '{sub}' } },
  });
  const attached = [...own, { method: 'PUT', path: '/routers/{router}/add_router_interface', body: { subnet_id: '{sub}' } }];
  each({ resource: 'router', action: 'remove_router_interface', target: 'own subnet', setup: attached, request: { method: 'PUT', path: '/routers/{router}/remove_router_interface', body: { subnet_id: '{sub}' } } });
  each({
    resource: 'router', action: 'update', target: 'gateway on an external network', setup: [router, ...extNet()],
    request: { method: 'PUT', path: '/routers/{router}', body: { router: { external_gateway_info: { network_id: '{ext}' } } } },
  });
}

// floating IPs on an admin's external network
{
  each({ resource: 'floatingip', action: 'create', target: 'external network', setup: extNet(), request: { method: 'POST', path: '/floatingips', body: { floatingip: { floating_network_id: '{ext}' } } } });
  const fip = { key: 'fip', method: 'POST', path: '/floatingips', body: { floatingip: { floating_network_id: '{ext}', project_id: P1 } } };
  crud('floatingip', 'own floating IP', [...extNet(), fip], 'fip', 'floatingips', { floatingip: { description: 'pol-renamed' } });
}

// security groups and rules
{
  each({ resource: 'security_group', action: 'create', target: 'new group', setup: [], request: { method: 'POST', path: '/security-groups', body: { security_group: { name: 'pol-new' } } } });
  const group = { key: 'sg', method: 'POST', path: '/security-groups', body: { security_group: { name: 'pol-sg', project_id: P1 } } };
  crud('security_group', 'own group', [group], 'sg', 'security-groups', { security_group: { name: 'pol-renamed' } });
  const rule = (key, extra = {}) => ({
    key, method: 'POST', path: '/security-group-rules',
    body: { security_group_rule: { security_group_id: '{sg}', direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22, ...extra } },
  });
  each({ resource: 'security_group_rule', action: 'create', target: 'own group', setup: [group], request: rule(undefined) });
  crud('security_group_rule', 'own group', [group, { ...rule('rule'), body: { security_group_rule: { ...rule('rule').body.security_group_rule, project_id: P1 } } }], 'rule', 'security-group-rules', null);
}

// attributes with their own rules (Neutron's attribute-aware policy)
{
  for (const [target, network] of [['private network, making it shared', { shared: true }], ['private network, making it external', { 'router:external': true }]]) {
    each({ resource: 'network', action: 'update', target, setup: NETWORKS.private, request: { method: 'PUT', path: '/networks/{net}', body: { network } } });
  }
  const onShared = (target, extra) => each({
    resource: 'port', action: 'create', target, setup: withSubnet('shared'),
    request: { method: 'POST', path: '/ports', body: { port: { network_id: '{net}', ...extra } } },
  });
  onShared('shared network, with a fixed IP address', { fixed_ips: [{ subnet_id: '{sub}', ip_address: '10.80.0.50' }] });
  onShared('shared network, with a MAC address', { mac_address: 'fa:16:3e:00:50:01' });
  onShared('shared network, as a router interface', { device_owner: 'network:router_interface', device_id: 'pol-device' });
  onShared('shared network, without port security', { port_security_enabled: false });
  const port = { key: 'port', method: 'POST', path: '/ports', body: { port: { name: 'pol-port', network_id: '{net}', project_id: P1 } } };
  each({
    resource: 'port', action: 'update', target: 'private network, binding:host_id', setup: [...withSubnet('private'), port],
    request: { method: 'PUT', path: '/ports/{port}', body: { port: { 'binding:host_id': 'pol-host' } } },
  });
  const groups = [
    { key: 'sg', method: 'POST', path: '/security-groups', body: { security_group: { name: 'pol-sg', project_id: P1 } } },
    { key: 'sg2', method: 'POST', path: '/security-groups', body: { security_group: { name: 'pol-sg2', project_id: P2 } } },
  ];
  each({
    resource: 'security_group_rule', action: 'create', target: "own group, another project's remote group", setup: groups,
    request: { method: 'POST', path: '/security-group-rules', body: { security_group_rule: { security_group_id: '{sg}', direction: 'ingress', remote_group_id: '{sg2}' } } },
  });
  const router = { key: 'router', method: 'POST', path: '/routers', body: { router: { name: 'pol-router', project_id: P1 } } };
  each({
    resource: 'router', action: 'update', target: 'gateway without SNAT', setup: [router, ...extNet()],
    request: { method: 'PUT', path: '/routers/{router}', body: { router: { external_gateway_info: { network_id: '{ext}', enable_snat: false } } } },
  });
}

async function main() {
  // Quotas would stop a long run (security groups: 10 per project); nothing here is about quotas.
  for (const p of [P1, P2, 'pol-p3', 'pol-adm']) {
    const q = await call('PUT', `/quotas/${p}`, { quota: { security_group: -1, security_group_rule: -1 } }, 'admin');
    if (q.status !== 200) throw new Error(`quota ${p}: ${JSON.stringify(q)}`);
  }
  const out = [];
  for (const c of cases) {
    const ids = {};
    for (const step of c.setup) {
      const r = await call(step.method, fill(step.path, ids), fill(step.body, ids), 'admin');
      if (r.status >= 300) throw new Error(`${c.name}: setup ${step.method} ${step.path}: ${JSON.stringify(r)}`);
      if (step.key) ids[step.key] = Object.values(r.body)[0].id;
    }
    const req = c.request;
    const res = await call(req.method, fill(req.path, ids), fill(req.body, ids), c.caller);
    const answer = { status: res.status, type: res.body?.NeutronError?.type ?? null };
    if (c.listed) answer.listed = res.status === 200 && Object.values(res.body)[0].some((o) => o.id === fill(c.listed, ids));
    const { request, setup, listed, ...rest } = c;
    out.push({ ...rest, setup, request: { method: request.method, path: request.path, ...(request.body ? { body: request.body } : {}) }, ...(listed ? { listed } : {}), answer });
    process.stdout.write(`${c.name}: ${answer.status}${answer.type ? ` ${answer.type}` : ''}${'listed' in answer ? ` listed=${answer.listed}` : ''}\n`);
  }
  const fixture = {
    oracle: 'neutron-server 21.0.0 (Zed), noauth, default policies (enforce_new_defaults off), ML2; a fresh server',
    recorder: 'libs/domain/src/__fixtures__/record-zed-policy.mjs',
    callers: CALLERS,
    cases: out,
  };
  writeFileSync(join(HERE, 'zed-policy.json'), JSON.stringify(fixture, null, 1) + '\n');
  console.log(`${out.length} cases written to zed-policy.json`);
}

await main();
