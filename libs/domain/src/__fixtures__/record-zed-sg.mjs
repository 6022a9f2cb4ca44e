#!/usr/bin/env node
// Records the reference Neutron's answers on security groups and rules (Zed 21.0.0
// on 127.0.0.1:9797) into zed-security-group.json. Run by hand, never by the tests:
//   node libs/domain/src/__fixtures__/record-zed-sg.mjs [http://127.0.0.1:9797]
// Projects dom-fx-p1/p2 (members) and dom-fx-adm (admin) as in record-zed.mjs,
// plus a project that has never been seen (its default group is made by the first list).
// Every case records its request, the answer, and `before`: the groups (with their
// rules) of the projects involved as they were just before the request — as keys
// into `groups`, where each version of a group is stored once (compact-zed-sg.mjs).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compact } from './compact-zed-sg.mjs';

const BASE = (process.argv[2] ?? 'http://127.0.0.1:9797') + '/v2.0';
const HERE = dirname(fileURLToPath(import.meta.url));
const FRESH = `dom-fx-sgnew-${Date.now().toString(36)}`;
const WHO = {
  adm: { project_id: 'dom-fx-adm', roles: ['admin'] },
  p1: { project_id: 'dom-fx-p1', roles: ['member'] },
  p2: { project_id: 'dom-fx-p2', roles: ['member'] },
  fresh: { project_id: FRESH, roles: ['member'] },
};
const UUID_NONE = '11111111-2222-3333-4444-555555555555';

async function call(method, path, body, who = 'adm') {
  const w = WHO[who];
  const headers = { 'X-Project-Id': w.project_id, 'X-Roles': w.roles.join(','), Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = text; }
  return { status: res.status, body: json };
}

const cleanup = [];
const one = (r) => Object.values(r.body)[0];
async function make(collection, body, who) {
  const r = await call('POST', `/${collection}`, body, who);
  if (r.status !== 201) throw new Error(`setup ${collection} failed: ${JSON.stringify(r)}`);
  const obj = one(r);
  cleanup.push(() => call('DELETE', `/${collection}/${obj.id}`, undefined, 'adm'));
  return obj;
}
/** The groups of a project, with their rules, as an admin sees them (no default group is made by this). */
async function groupsOf(project) {
  const r = await call('GET', `/security-groups?project_id=${project}`, undefined, 'adm');
  return r.body.security_groups;
}

async function main() {
  const S = {};
  S.net = await make('networks', { network: { name: 'dom-fx-sgnet' } }, 'p1');
  S.sub = await make('subnets', { subnet: { network_id: S.net.id, ip_version: 4, cidr: '10.60.0.0/24' } }, 'p1');
  S.web = await make('security-groups', { security_group: { name: 'dom-fx-web', description: 'web servers' } }, 'p1');
  S.rg = await make('security-groups', { security_group: { name: 'dom-fx-rules' } }, 'p1');
  S.p2g = await make('security-groups', { security_group: { name: 'dom-fx-p2g' } }, 'p2');
  S.used = await make('security-groups', { security_group: { name: 'dom-fx-used' } }, 'p1');
  S.usedPort = await make('ports', { port: { network_id: S.net.id, name: 'dom-fx-sgport', security_groups: [S.used.id] } }, 'p1');
  S.r22 = one(await call('POST', '/security-group-rules', {
    security_group_rule: { security_group_id: S.rg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' },
  }, 'p1'));
  const def = async (project) => (await groupsOf(project)).find((g) => g.name === 'default');
  S.p1def = await def('dom-fx-p1');
  S.p2def = await def('dom-fx-p2');

  const rule = (name, body, as = 'p1', extra = {}) => ({
    name, as, method: 'POST', path: '/security-group-rules', body: { security_group_rule: { security_group_id: S.rg.id, direction: 'ingress', ...body } }, ...extra,
  });
  const group = (name, body, as = 'p1', extra = {}) => ({ name, as, method: 'POST', path: '/security-groups', body: { security_group: body }, ...extra });
  const port = (name, body, as = 'p1') => ({ name, as, method: 'POST', path: '/ports', body: { port: { network_id: S.net.id, ...body } } });

  const cases = [
    // the default group: made on first use, four rules
    { name: 'fresh-list', as: 'fresh', method: 'GET', path: '/security-groups' },
    { name: 'fresh-rules-list', as: 'fresh', method: 'GET', path: '/security-group-rules' },
    // groups
    group('create', { name: 'dom-fx-new', description: 'a new group' }),
    group('create-no-name', {}),
    group('create-default-name', { name: 'default' }),
    group('create-default-name-upper', { name: 'DEFAULT' }),
    group('create-name-too-long', { name: 'a'.repeat(256) }),
    group('create-name-number', { name: 5 }),
    group('create-description-too-long', { name: 'dom-fx-x', description: 'd'.repeat(256) }),
    group('create-with-rules', { name: 'dom-fx-x', security_group_rules: [] }),
    group('create-with-tags', { name: 'dom-fx-x', tags: ['a'] }),
    group('create-unknown-attribute', { name: 'dom-fx-x', foo: 1 }),
    group('create-other-project', { name: 'dom-fx-x', tenant_id: 'dom-fx-p2' }),
    group('create-for-other-project-as-admin', { name: 'dom-fx-x', tenant_id: 'dom-fx-p2' }, 'adm'),
    { name: 'create-bulk', as: 'p1', method: 'POST', path: '/security-groups', body: { security_groups: [{ name: 'dom-fx-b1' }, { name: 'dom-fx-b2' }] } },
    { name: 'show', as: 'p1', method: 'GET', path: `/security-groups/${S.web.id}` },
    { name: 'show-default', as: 'p1', method: 'GET', path: `/security-groups/${S.p1def.id}` },
    { name: 'show-other-project', as: 'p1', method: 'GET', path: `/security-groups/${S.p2g.id}` },
    { name: 'show-other-project-as-admin', as: 'adm', method: 'GET', path: `/security-groups/${S.p2g.id}` },
    { name: 'show-not-found', as: 'p1', method: 'GET', path: `/security-groups/${UUID_NONE}` },
    { name: 'update-name', as: 'p1', method: 'PUT', path: `/security-groups/${S.web.id}`, body: { security_group: { name: 'dom-fx-web2', description: 'still web' } } },
    { name: 'update-same', as: 'p1', method: 'PUT', path: `/security-groups/${S.web.id}`, body: { security_group: { name: 'dom-fx-web2' } } },
    { name: 'update-to-default', as: 'p1', method: 'PUT', path: `/security-groups/${S.web.id}`, body: { security_group: { name: 'default' } } },
    { name: 'update-rules', as: 'p1', method: 'PUT', path: `/security-groups/${S.web.id}`, body: { security_group: { security_group_rules: [] } } },
    { name: 'update-tenant', as: 'p1', method: 'PUT', path: `/security-groups/${S.web.id}`, body: { security_group: { tenant_id: 'dom-fx-p2' } } },
    { name: 'update-default-name', as: 'p1', method: 'PUT', path: `/security-groups/${S.p1def.id}`, body: { security_group: { name: 'renamed' } } },
    { name: 'update-default-name-as-admin', as: 'adm', method: 'PUT', path: `/security-groups/${S.p1def.id}`, body: { security_group: { name: 'renamed' } } },
    { name: 'update-default-description', as: 'p1', method: 'PUT', path: `/security-groups/${S.p1def.id}`, body: { security_group: { description: 'Default security group' } } },
    { name: 'update-other-project', as: 'p1', method: 'PUT', path: `/security-groups/${S.p2g.id}`, body: { security_group: { name: 'mine' } } },
    { name: 'update-not-found', as: 'p1', method: 'PUT', path: `/security-groups/${UUID_NONE}`, body: { security_group: { name: 'x' } } },
    { name: 'delete-default', as: 'p1', method: 'DELETE', path: `/security-groups/${S.p1def.id}` },
    { name: 'delete-in-use', as: 'p1', method: 'DELETE', path: `/security-groups/${S.used.id}` },
    { name: 'delete-other-project', as: 'p1', method: 'DELETE', path: `/security-groups/${S.p2g.id}` },
    { name: 'delete-not-found', as: 'p1', method: 'DELETE', path: `/security-groups/${UUID_NONE}` },
    // rules
    rule('rule-tcp-22-again', { protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' }),
    rule('rule-dup-protocol-number', { protocol: '6', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' }),
    rule('rule-dup-no-prefix', { protocol: 'tcp', port_range_min: 22, port_range_max: 22 }),
    rule('rule-dup-ethertype-case', { protocol: 'TCP', ethertype: 'ipv4', port_range_min: '22', port_range_max: 22 }),
    rule('rule-other-direction', { direction: 'egress', protocol: 'tcp', port_range_min: 22, port_range_max: 22 }),
    rule('rule-protocol-int', { protocol: 17, port_range_min: 53, port_range_max: 53 }),
    rule('rule-protocol-upper', { protocol: 'UDP', port_range_min: 1000, port_range_max: 2000, remote_ip_prefix: '10.0.0.0/8' }),
    rule('rule-protocol-any', { protocol: 'any' }),
    rule('rule-protocol-ip', { protocol: 'ip' }),
    rule('rule-protocol-bad', { protocol: 'foo' }),
    rule('rule-protocol-256', { protocol: 256 }),
    rule('rule-protocol-negative', { protocol: '-1' }),
    rule('rule-protocol-list', { protocol: ['tcp'] }),
    rule('rule-protocol-vrrp', { protocol: 'vrrp' }),
    rule('rule-ports-no-protocol', { port_range_min: 22, port_range_max: 22 }),
    rule('rule-port-zero', { protocol: 'tcp', port_range_min: 0, port_range_max: 10 }),
    rule('rule-port-too-big', { protocol: 'tcp', port_range_min: 1, port_range_max: 65536 }),
    rule('rule-port-negative', { protocol: 'tcp', port_range_min: -1, port_range_max: 10 }),
    rule('rule-port-text', { protocol: 'tcp', port_range_min: 'abc', port_range_max: 10 }),
    rule('rule-port-min-above-max', { protocol: 'tcp', port_range_min: 100, port_range_max: 99 }),
    rule('rule-port-min-only', { protocol: 'tcp', port_range_min: 80 }),
    rule('rule-port-max-only', { protocol: 'udp', port_range_max: 80 }),
    rule('rule-port-full-range', { protocol: 'sctp', port_range_min: 1, port_range_max: 65535 }),
    rule('rule-port-number-protocol', { protocol: '132', port_range_min: 5000, port_range_max: 5001 }),
    rule('rule-icmp-type-code', { protocol: 'icmp', port_range_min: 8, port_range_max: 0 }),
    rule('rule-icmp-type-256', { protocol: 'icmp', port_range_min: 256 }),
    rule('rule-icmp-code-256', { protocol: 'icmp', port_range_min: 3, port_range_max: 256 }),
    rule('rule-icmp-code-without-type', { protocol: 'icmp', port_range_max: 0 }),
    rule('rule-icmp-number', { protocol: '1', port_range_min: 0 }),
    rule('rule-gre-ports', { protocol: 'gre', port_range_min: 1, port_range_max: 2 }),
    rule('rule-ipv6-icmp-v6', { protocol: 'icmp', ethertype: 'IPv6' }),
    rule('rule-ipv6-icmp-number', { protocol: '1', ethertype: 'IPv6', port_range_min: 128 }),
    rule('rule-ipv6-icmp-on-ipv4', { protocol: 'ipv6-icmp', ethertype: 'IPv4' }),
    rule('rule-ipv6-protocol-number-on-ipv4', { protocol: '58' }),
    rule('rule-ethertype-lower', { ethertype: 'ipv6', remote_ip_prefix: '2001:db8::/32' }),
    rule('rule-ethertype-bad', { ethertype: 'IPv5' }),
    rule('rule-ethertype-number', { ethertype: 4 }),
    rule('rule-prefix-family-conflict', { ethertype: 'IPv6', remote_ip_prefix: '10.0.0.0/8' }),
    rule('rule-prefix-family-conflict-v4', { remote_ip_prefix: '2001:db8::/64' }),
    rule('rule-prefix-host', { protocol: 'tcp', port_range_min: 443, port_range_max: 443, remote_ip_prefix: '192.0.2.7' }),
    rule('rule-prefix-host-bits', { protocol: 'tcp', port_range_min: 444, port_range_max: 444, remote_ip_prefix: '192.0.2.7/24' }),
    rule('rule-prefix-v6-host-bits', { ethertype: 'IPv6', remote_ip_prefix: '2001:DB8::1/64' }),
    rule('rule-prefix-bad', { remote_ip_prefix: '10.0.0.300/8' }),
    rule('rule-prefix-number', { remote_ip_prefix: 5 }),
    rule('rule-prefix-empty', { protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '' }),
    rule('rule-remote-both', { remote_group_id: S.rg.id, remote_ip_prefix: '10.0.0.0/8' }),
    rule('rule-remote-group-missing', { remote_group_id: UUID_NONE }),
    rule('rule-remote-group-other-project', { remote_group_id: S.p2g.id }),
    rule('rule-remote-group-other-project-as-admin', { remote_group_id: S.p2g.id }, 'adm'),
    rule('rule-remote-group-self', { remote_group_id: S.rg.id }),
    rule('rule-remote-group-other', { remote_group_id: S.web.id, protocol: 'tcp' }),
    rule('rule-remote-group-bad', { remote_group_id: 'abc' }),
    rule('rule-group-missing', { security_group_id: UUID_NONE }),
    rule('rule-group-other-project', { security_group_id: S.p2g.id }),
    rule('rule-group-other-project-as-admin', { security_group_id: S.p2g.id, protocol: 'tcp' }, 'adm'),
    rule('rule-group-bad', { security_group_id: 'abc' }),
    { name: 'rule-no-group', as: 'p1', method: 'POST', path: '/security-group-rules', body: { security_group_rule: { direction: 'ingress' } } },
    { name: 'rule-no-direction', as: 'p1', method: 'POST', path: '/security-group-rules', body: { security_group_rule: { security_group_id: S.rg.id } } },
    rule('rule-bad-direction', { direction: 'inbound' }),
    rule('rule-description', { protocol: 'tcp', port_range_min: 8080, port_range_max: 8080, description: 'alt http' }),
    rule('rule-description-too-long', { description: 'd'.repeat(256) }),
    rule('rule-other-project', { tenant_id: 'dom-fx-p2' }),
    rule('rule-unknown-attribute', { foo: 1 }),
    rule('rule-in-default-group', { security_group_id: S.p1def.id, protocol: 'tcp', port_range_min: 22, port_range_max: 22 }),
    rule('rule-dup-of-default-rule', { security_group_id: S.p1def.id, direction: 'egress', ethertype: 'IPv6' }),
    { name: 'rule-bulk', as: 'p1', method: 'POST', path: '/security-group-rules', body: { security_group_rules: [
      { security_group_id: S.rg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 5, port_range_max: 5 },
      { security_group_id: S.rg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 6, port_range_max: 6 },
    ] } },
    { name: 'rule-bulk-duplicate', as: 'p1', method: 'POST', path: '/security-group-rules', body: { security_group_rules: [
      { security_group_id: S.rg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 5, port_range_max: 5 },
      { security_group_id: S.rg.id, direction: 'ingress', protocol: '6', port_range_min: 5, port_range_max: 5 },
    ] } },
    { name: 'rule-bulk-existing', as: 'p1', method: 'POST', path: '/security-group-rules', body: { security_group_rules: [
      { security_group_id: S.rg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 7, port_range_max: 7 },
      { security_group_id: S.rg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22 },
    ] } },
    { name: 'rule-bulk-two-groups', as: 'p1', method: 'POST', path: '/security-group-rules', body: { security_group_rules: [
      { security_group_id: S.rg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 5, port_range_max: 5 },
      { security_group_id: S.web.id, direction: 'ingress', protocol: 'tcp', port_range_min: 5, port_range_max: 5 },
    ] } },
    { name: 'rule-bulk-bad-item', as: 'p1', method: 'POST', path: '/security-group-rules', body: { security_group_rules: [
      { security_group_id: S.rg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 9, port_range_max: 9 },
      { security_group_id: S.rg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 0, port_range_max: 9 },
    ] } },
    { name: 'rule-show', as: 'p1', method: 'GET', path: `/security-group-rules/${S.r22.id}` },
    { name: 'rule-show-other-project', as: 'p2', method: 'GET', path: `/security-group-rules/${S.r22.id}` },
    { name: 'rule-show-not-found', as: 'p1', method: 'GET', path: `/security-group-rules/${UUID_NONE}` },
    { name: 'rule-update', as: 'p1', method: 'PUT', path: `/security-group-rules/${S.r22.id}`, body: { security_group_rule: { protocol: 'udp' } } },
    { name: 'rule-update-description', as: 'p1', method: 'PUT', path: `/security-group-rules/${S.r22.id}`, body: { security_group_rule: { description: 'ssh' } } },
    { name: 'rule-delete-other-project', as: 'p2', method: 'DELETE', path: `/security-group-rules/${S.r22.id}` },
    { name: 'rule-delete-not-found', as: 'p1', method: 'DELETE', path: `/security-group-rules/${UUID_NONE}` },
    { name: 'group-after-rules', as: 'p1', method: 'GET', path: `/security-groups/${S.rg.id}` },
    { name: 'rule-delete', as: 'p1', method: 'DELETE', path: `/security-group-rules/${S.r22.id}`, keep: true },
    { name: 'group-after-rule-delete', as: 'p1', method: 'GET', path: `/security-groups/${S.rg.id}` },
    // ports
    port('port-default-group', { name: 'dom-fx-p' }),
    port('port-with-group', { security_groups: [S.web.id] }),
    port('port-two-groups', { security_groups: [S.web.id, S.rg.id] }),
    port('port-other-project-group', { security_groups: [S.p2g.id] }),
    port('port-other-project-group-as-admin', { security_groups: [S.p2g.id] }, 'adm'),
    port('port-missing-group', { security_groups: [UUID_NONE] }),
    port('port-bad-group', { security_groups: ['abc'] }),
    port('port-empty-groups', { security_groups: [] }),
    port('port-null-groups', { security_groups: null }),
    port('port-no-port-security', { port_security_enabled: false }),
    port('port-no-port-security-with-group', { port_security_enabled: false, security_groups: [S.web.id] }),
    port('port-dhcp-owner', { device_owner: 'network:dhcp' }),
    port('port-router-owner-with-group', { device_owner: 'network:router_interface', security_groups: [S.web.id] }),
    { name: 'port-update-groups', as: 'p1', method: 'PUT', path: `/ports/${S.usedPort.id}`, body: { port: { security_groups: [S.used.id, S.web.id] } } },
    { name: 'port-update-missing-group', as: 'p1', method: 'PUT', path: `/ports/${S.usedPort.id}`, body: { port: { security_groups: [UUID_NONE] } } },
    { name: 'port-update-other-project-group', as: 'p1', method: 'PUT', path: `/ports/${S.usedPort.id}`, body: { port: { security_groups: [S.p2g.id] } } },
    { name: 'port-update-no-groups', as: 'p1', method: 'PUT', path: `/ports/${S.usedPort.id}`, body: { port: { security_groups: [] } }, keep: true },
    { name: 'delete-no-longer-in-use', as: 'p1', method: 'DELETE', path: `/security-groups/${S.used.id}`, keep: true },
  ];

  const out = { oracle: 'neutron-server 21.0.0 (Zed), noauth, ML2 flat/vlan/vxlan/local', actors: WHO, setup: { ...S }, cases: {} };
  const projects = ['dom-fx-p1', 'dom-fx-p2', 'dom-fx-adm'];
  for (const c of cases) {
    const req = { as: c.as ?? 'p1', method: c.method, path: c.path, body: c.body };
    const before = {};
    for (const p of projects) before[p] = await groupsOf(p);
    const res = await call(req.method, req.path, req.body, req.as);
    out.cases[c.name] = { request: req, before, response: res };
    if (!c.keep && req.method === 'POST' && res.status === 201) {
      const collection = req.path.split('/')[1];
      for (const o of Object.values(res.body).flat()) if (o?.id) await call('DELETE', `/${collection}/${o.id}`, undefined, 'adm');
    }
    if (!c.keep && req.method === 'PUT' && res.status === 200 && c.path.startsWith('/security-groups/')) {
      const was = Object.values(before).flat().find((g) => c.path.endsWith(g.id));
      if (was) await call('PUT', c.path, { security_group: { name: was.name, description: was.description } }, 'adm');
    }
    if (!c.keep && req.method === 'PUT' && res.status === 200 && c.path.startsWith('/ports/'))
      await call('PUT', c.path, { port: { security_groups: [S.used.id] } }, 'adm');
    process.stdout.write(`${c.name}: ${res.status}\n`);
  }
  // the port that used S.used is gone before S.used itself is removed by the last case
  writeFileSync(join(HERE, 'zed-security-group.json'), JSON.stringify(compact(out), null, 2) + '\n');
}

try {
  await main();
} finally {
  for (const f of cleanup.reverse()) await f();
}
