#!/usr/bin/env node
// Records the reference Neutron's answers on routers and floating IPs (Zed 21.0.0 on
// 127.0.0.1:9797, router service plugin loaded) into zed-l3.json. Run by hand, never by the tests:
//   node libs/domain/src/__fixtures__/record-zed-l3.mjs [http://127.0.0.1:9797]
// Projects dom-fx-p1 (member) and dom-fx-adm (admin). The cases run in order on one
// scenario (each may depend on the ones before); `setup` holds the objects they name.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE = (process.argv[2] ?? 'http://127.0.0.1:9797') + '/v2.0';
const HERE = dirname(fileURLToPath(import.meta.url));
const WHO = { adm: { project_id: 'dom-fx-adm', roles: ['admin'] }, p1: { project_id: 'dom-fx-p1', roles: ['member'] } };
const NONE = '11111111-2222-3333-4444-555555555555';

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
const one = (r) => Object.values(r.body)[0];
const undo = [];
async function make(collection, body, who = 'adm') {
  const r = await call('POST', `/${collection}`, body, who);
  if (r.status !== 201) throw new Error(`setup ${collection}: ${JSON.stringify(r)}`);
  const o = one(r);
  undo.push(() => call('DELETE', `/${collection}/${o.id}`));
  return o;
}

/** Removes what an earlier (interrupted) run left: routers, floating IPs and networks named dom-fx-* on these projects. */
async function sweep() {
  for (const f of (await call('GET', '/floatingips')).body.floatingips) if (['dom-fx-p1', 'dom-fx-adm'].includes(f.project_id)) await call('DELETE', `/floatingips/${f.id}`);
  for (const r of (await call('GET', '/routers')).body.routers) {
    if (!['dom-fx-p1', 'dom-fx-adm'].includes(r.project_id)) continue;
    await call('PUT', `/routers/${r.id}`, { router: { routes: [], external_gateway_info: {} } });
    for (const p of (await call('GET', `/ports?device_id=${r.id}&device_owner=network:router_interface`)).body.ports)
      await call('PUT', `/routers/${r.id}/remove_router_interface`, { port_id: p.id });
    await call('DELETE', `/routers/${r.id}`);
  }
  for (const n of (await call('GET', '/networks')).body.networks) {
    if (!n.name.startsWith('dom-fx-') || !['dom-fx-p1', 'dom-fx-adm'].includes(n.project_id)) continue;
    for (const p of (await call('GET', `/ports?network_id=${n.id}`)).body.ports) await call('DELETE', `/ports/${p.id}`);
    await call('DELETE', `/networks/${n.id}`);
  }
}

async function main() {
  await sweep();
  const S = {};
  const cases = {};
  const rec = async (name, as, method, path, body) => {
    const response = await call(method, path, body, as);
    cases[name] = { request: { as, method, path, body }, response };
    return response;
  };
  S.ext = await make('networks', { network: { name: 'dom-fx-ext', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'domfxext' } });
  S.extSub = await make('subnets', { subnet: { network_id: S.ext.id, cidr: '203.0.113.0/24', ip_version: 4 } });
  S.tiny = await make('networks', { network: { name: 'dom-fx-tiny', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'domfxtiny' } });
  S.tinySub = await make('subnets', { subnet: { network_id: S.tiny.id, cidr: '198.51.100.0/30', ip_version: 4 } });
  S.bare = await make('networks', { network: { name: 'dom-fx-bare', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'domfxbare' } });
  S.net = await make('networks', { network: { name: 'dom-fx-l3net' } }, 'p1');
  S.sub = await make('subnets', { subnet: { network_id: S.net.id, cidr: '10.70.0.0/24', ip_version: 4 } }, 'p1');
  S.sub2 = await make('subnets', { subnet: { network_id: S.net.id, cidr: '10.71.0.0/24', ip_version: 4 } }, 'p1');
  S.net3 = await make('networks', { network: { name: 'dom-fx-l3net3' } }, 'p1');
  S.overlap = await make('subnets', { subnet: { network_id: S.net3.id, cidr: '10.70.0.0/24', ip_version: 4 } }, 'p1');
  S.nogw = await make('subnets', { subnet: { network_id: S.net3.id, cidr: '10.72.0.0/24', ip_version: 4, gateway_ip: null } }, 'p1');
  S.port = await make('ports', { port: { network_id: S.net.id, name: 'dom-fx-vm', fixed_ips: [{ subnet_id: S.sub.id }] } }, 'p1');
  S.multi = await make('ports', { port: { network_id: S.net.id, name: 'dom-fx-multi', fixed_ips: [{ subnet_id: S.sub.id }, { subnet_id: S.sub2.id }] } }, 'p1');
  S.owned = await make('ports', { port: { network_id: S.net.id, name: 'dom-fx-owned', device_owner: 'compute:nova' } }, 'p1');
  S.noip = await make('ports', { port: { network_id: S.net.id, name: 'dom-fx-noip', fixed_ips: [] } }, 'p1');
  S.attached = await make('ports', { port: { network_id: S.net.id, name: 'dom-fx-attached', device_id: 'dom-fx-vm1' } }, 'p1');
  S.ifport = await make('ports', { port: { network_id: S.net3.id, name: 'dom-fx-ifport', fixed_ips: [{ subnet_id: S.nogw.id }] } }, 'p1');

  const R = '/routers';
  // create
  await rec('create-not-allowed-routes', 'p1', 'POST', R, { router: { name: 'x', routes: [] } });
  await rec('create-not-allowed-status', 'p1', 'POST', R, { router: { name: 'x', status: 'DOWN' } });
  await rec('create-unknown', 'p1', 'POST', R, { router: { name: 'x', foo: 1 } });
  await rec('create-bad-admin-state', 'p1', 'POST', R, { router: { name: 'x', admin_state_up: 'x' } });
  await rec('create-gw-unexpected-key', 'p1', 'POST', R, { router: { name: 'x', external_gateway_info: { network_id: S.ext.id, foo: 1 } } });
  await rec('create-gw-no-network', 'p1', 'POST', R, { router: { name: 'x', external_gateway_info: { enable_snat: true } } });
  await rec('create-gw-snat-member', 'p1', 'POST', R, { router: { name: 'x', external_gateway_info: { network_id: S.ext.id, enable_snat: false } } });
  await rec('create-gw-ips-member', 'p1', 'POST', R, { router: { name: 'x', external_gateway_info: { network_id: S.ext.id, external_fixed_ips: [{ ip_address: '203.0.113.9' }] } } });
  await rec('create-ha-member', 'p1', 'POST', R, { router: { name: 'x', ha: true } });
  await rec('create-distributed-member', 'p1', 'POST', R, { router: { name: 'x', distributed: false } });
  await rec('create-gw-not-external', 'p1', 'POST', R, { router: { name: 'x', external_gateway_info: { network_id: S.net.id } } });
  await rec('create-gw-missing-network', 'p1', 'POST', R, { router: { name: 'x', external_gateway_info: { network_id: NONE } } });
  await rec('create-name-long', 'p1', 'POST', R, { router: { name: 'x'.repeat(256) } });
  const r1 = await rec('create', 'p1', 'POST', R, { router: { name: 'dom-fx-r1', description: 'first' } });
  S.r1 = one(r1); undo.push(() => call('DELETE', `${R}/${S.r1.id}`));
  const rg = await rec('create-with-gateway', 'p1', 'POST', R, { router: { name: 'dom-fx-rg', external_gateway_info: { network_id: S.ext.id } } });
  S.rg = one(rg); undo.push(() => call('DELETE', `${R}/${S.rg.id}`));
  const ra = await rec('create-admin-gw-snat-ip', 'adm', 'POST', R, { router: { name: 'dom-fx-ra', external_gateway_info: { network_id: S.ext.id, enable_snat: false, external_fixed_ips: [{ ip_address: '203.0.113.9' }] } } });
  S.ra = one(ra); undo.push(() => call('DELETE', `${R}/${S.ra.id}`));
  await rec('create-admin-gw-ip-taken', 'adm', 'POST', R, { router: { name: 'x', external_gateway_info: { network_id: S.ext.id, external_fixed_ips: [{ ip_address: '203.0.113.9' }] } } });
  await rec('create-admin-gw-ip-outside', 'adm', 'POST', R, { router: { name: 'x', external_gateway_info: { network_id: S.ext.id, external_fixed_ips: [{ ip_address: '10.0.0.9' }] } } });
  await rec('create-admin-gw-no-subnet', 'adm', 'POST', R, { router: { name: 'x', external_gateway_info: { network_id: S.bare.id } } });
  await rec('show-member', 'p1', 'GET', `${R}/${S.r1.id}`);
  await rec('show-admin', 'adm', 'GET', `${R}/${S.r1.id}`);
  await rec('show-missing', 'p1', 'GET', `${R}/${NONE}`);
  // interfaces
  const I = (verb) => `${R}/${S.r1.id}/${verb}_router_interface`;
  await rec('add-nothing', 'p1', 'PUT', I('add'), {});
  await rec('add-both', 'p1', 'PUT', I('add'), { subnet_id: S.sub.id, port_id: S.port.id });
  await rec('add-bad-uuid', 'p1', 'PUT', I('add'), { subnet_id: 'x' });
  await rec('add-missing-subnet', 'p1', 'PUT', I('add'), { subnet_id: NONE });
  await rec('add-missing-port', 'p1', 'PUT', I('add'), { port_id: NONE });
  await rec('add-subnet', 'p1', 'PUT', I('add'), { subnet_id: S.sub.id });
  await rec('add-subnet-again', 'p1', 'PUT', I('add'), { subnet_id: S.sub.id });
  await rec('add-overlap', 'p1', 'PUT', I('add'), { subnet_id: S.overlap.id });
  await rec('add-no-gateway', 'p1', 'PUT', I('add'), { subnet_id: S.nogw.id });
  await rec('add-port-owned', 'p1', 'PUT', I('add'), { port_id: S.owned.id });
  await rec('add-port-in-use', 'p1', 'PUT', I('add'), { port_id: S.attached.id });
  await rec('add-port-no-ip', 'p1', 'PUT', I('add'), { port_id: S.noip.id });
  await rec('add-port-same-subnet', 'p1', 'PUT', I('add'), { port_id: S.port.id });
  await rec('add-port', 'p1', 'PUT', I('add'), { port_id: S.ifport.id });
  await rec('port-of-interface', 'p1', 'GET', `/ports/${S.ifport.id}`);
  S.ifSubnetPort = (await call('GET', `/ports?device_id=${S.r1.id}&fixed_ips=subnet_id=${S.sub.id}`)).body.ports[0];
  await rec('interface-port-delete', 'p1', 'DELETE', `/ports/${S.ifSubnetPort.id}`);
  await rec('interface-subnet-delete', 'p1', 'DELETE', `/subnets/${S.sub.id}`);
  await rec('interface-network-delete', 'p1', 'DELETE', `/networks/${S.net.id}`);
  await rec('delete-in-use', 'p1', 'DELETE', `${R}/${S.r1.id}`);
  // routes
  const U = (body, as = 'p1', id = S.r1.id) => [as, 'PUT', `${R}/${id}`, { router: body }];
  await rec('routes-not-connected', ...U({ routes: [{ destination: '10.50.0.0/24', nexthop: '10.99.0.5' }] }));
  await rec('routes-nexthop-is-router', ...U({ routes: [{ destination: '10.50.0.0/24', nexthop: '10.70.0.1' }] }));
  await rec('routes-bad-cidr', ...U({ routes: [{ destination: '10.50.0.0/33', nexthop: '10.70.0.5' }] }));
  await rec('routes-bad-nexthop', ...U({ routes: [{ destination: '10.50.0.0/24', nexthop: 'x' }] }));
  await rec('routes-missing-key', ...U({ routes: [{ destination: '10.50.0.0/24' }] }));
  await rec('routes-not-list', ...U({ routes: 'x' }));
  await rec('routes-too-many', ...U({ routes: Array.from({ length: 31 }, (_, i) => ({ destination: `10.60.${i}.0/24`, nexthop: '10.70.0.5' })) }));
  await rec('routes-set', ...U({ routes: [{ destination: '10.50.0.0/24', nexthop: '10.70.0.5' }] }));
  await rec('remove-used-by-route', 'p1', 'PUT', `${R}/${S.r1.id}/remove_router_interface`, { subnet_id: S.sub.id });
  await rec('routes-clear', ...U({ routes: [] }));
  await rec('update-ha-member', ...U({ ha: true }));
  await rec('update-distributed-admin', ...U({ distributed: true }, 'adm'));
  await rec('update-gw-not-external', ...U({ external_gateway_info: { network_id: S.net.id } }));
  await rec('update-gw-ips-member', ...U({ external_gateway_info: { network_id: S.ext.id, external_fixed_ips: [{ ip_address: '203.0.113.50' }] } }));
  await rec('update-read-only', ...U({ status: 'DOWN' }));
  await rec('update-name', ...U({ name: 'dom-fx-r1b' }));
  await rec('update-gateway', ...U({ external_gateway_info: { network_id: S.ext.id } }));
  // floating IPs
  const F = '/floatingips';
  await rec('fip-no-network', 'p1', 'POST', F, { floatingip: {} });
  await rec('fip-not-external', 'p1', 'POST', F, { floatingip: { floating_network_id: S.net.id } });
  await rec('fip-missing-network', 'p1', 'POST', F, { floatingip: { floating_network_id: NONE } });
  await rec('fip-address-member', 'p1', 'POST', F, { floatingip: { floating_network_id: S.ext.id, floating_ip_address: '203.0.113.77' } });
  await rec('fip-multi-ipv4', 'p1', 'POST', F, { floatingip: { floating_network_id: S.ext.id, port_id: S.multi.id } });
  await rec('fip-fixed-not-on-port', 'p1', 'POST', F, { floatingip: { floating_network_id: S.ext.id, port_id: S.port.id, fixed_ip_address: '10.70.0.250' } });
  await rec('fip-missing-port', 'p1', 'POST', F, { floatingip: { floating_network_id: S.ext.id, port_id: NONE } });
  await rec('fip-unreachable', 'p1', 'POST', F, { floatingip: { floating_network_id: S.tiny.id, port_id: S.port.id } });
  await rec('fip-no-subnet', 'p1', 'POST', F, { floatingip: { floating_network_id: S.bare.id } });
  const f1 = await rec('fip-create-associated', 'p1', 'POST', F, { floatingip: { floating_network_id: S.ext.id, port_id: S.port.id, description: 'vm' } });
  S.f1 = one(f1); undo.push(() => call('DELETE', `${F}/${S.f1.id}`));
  await rec('fip-already-associated', 'p1', 'POST', F, { floatingip: { floating_network_id: S.ext.id, port_id: S.port.id } });
  const f2 = await rec('fip-create-admin-address', 'adm', 'POST', F, { floatingip: { floating_network_id: S.ext.id, floating_ip_address: '203.0.113.77' } });
  S.f2 = one(f2); undo.push(() => call('DELETE', `${F}/${S.f2.id}`));
  await rec('fip-address-taken', 'adm', 'POST', F, { floatingip: { floating_network_id: S.ext.id, floating_ip_address: '203.0.113.77' } });
  await rec('fip-address-outside', 'adm', 'POST', F, { floatingip: { floating_network_id: S.ext.id, floating_ip_address: '10.0.0.77' } });
  const f3 = await rec('fip-create', 'p1', 'POST', F, { floatingip: { floating_network_id: S.ext.id } });
  S.f3 = one(f3); undo.push(() => call('DELETE', `${F}/${S.f3.id}`));
  S.fipPort = (await call('GET', `/ports?device_id=${S.f1.id}`)).body.ports[0];
  await rec('fip-port-member', 'p1', 'GET', `/ports/${S.fipPort.id}`);
  await rec('fip-port-admin', 'adm', 'GET', `/ports/${S.fipPort.id}`);
  await rec('fip-port-delete', 'adm', 'DELETE', `/ports/${S.fipPort.id}`);
  await rec('gateway-clear-in-use', ...U({ external_gateway_info: {} }));
  await rec('remove-used-by-fip', 'p1', 'PUT', `${R}/${S.r1.id}/remove_router_interface`, { subnet_id: S.sub.id });
  await rec('fip-update-network', 'p1', 'PUT', `${F}/${S.f1.id}`, { floatingip: { floating_network_id: S.ext.id } });
  await rec('fip-disassociate', 'p1', 'PUT', `${F}/${S.f1.id}`, { floatingip: { port_id: null } });
  await rec('fip-associate-multi', 'p1', 'PUT', `${F}/${S.f3.id}`, { floatingip: { port_id: S.multi.id } });
  await rec('fip-associate-fixed', 'p1', 'PUT', `${F}/${S.f3.id}`, { floatingip: { port_id: S.multi.id, fixed_ip_address: S.multi.fixed_ips[0].ip_address } });
  await rec('fip-reassociate', 'p1', 'PUT', `${F}/${S.f3.id}`, { floatingip: { port_id: S.port.id } });
  await rec('fip-associate-taken', 'p1', 'PUT', `${F}/${S.f1.id}`, { floatingip: { port_id: S.port.id } });
  await rec('fip-fixed-without-port', 'p1', 'PUT', `${F}/${S.f1.id}`, { floatingip: { fixed_ip_address: '10.70.0.9' } });
  await rec('fip-show', 'p1', 'GET', `${F}/${S.f3.id}`);
  await rec('fip-show-missing', 'p1', 'GET', `${F}/${NONE}`);
  await rec('vm-port-delete', 'p1', 'DELETE', `/ports/${S.port.id}`);
  await rec('fip-after-port-delete', 'p1', 'GET', `${F}/${S.f3.id}`);
  await rec('fip-delete', 'p1', 'DELETE', `${F}/${S.f3.id}`);
  await rec('fip-delete-again', 'p1', 'DELETE', `${F}/${S.f3.id}`);
  // the pool of a /30: one address for a gateway, then none
  const t1 = await rec('tiny-fip', 'adm', 'POST', F, { floatingip: { floating_network_id: S.tiny.id } });
  if (t1.status === 201) undo.push(() => call('DELETE', `${F}/${one(t1).id}`));
  await rec('tiny-fip-exhausted', 'adm', 'POST', F, { floatingip: { floating_network_id: S.tiny.id } });
  await rec('tiny-gateway-exhausted', 'adm', 'POST', R, { router: { name: 'x', external_gateway_info: { network_id: S.tiny.id } } });
  // remove and delete
  await rec('gateway-clear', ...U({ external_gateway_info: {} }, 'adm', S.rg.id));
  await rec('remove-port-not-interface', 'p1', 'PUT', `${R}/${S.r1.id}/remove_router_interface`, { port_id: S.owned.id });
  await rec('remove-port', 'p1', 'PUT', `${R}/${S.r1.id}/remove_router_interface`, { port_id: S.ifport.id });
  await rec('port-after-remove', 'p1', 'GET', `/ports/${S.ifport.id}`);
  await rec('remove-subnet-with-fip', 'p1', 'PUT', `${R}/${S.r1.id}/remove_router_interface`, { subnet_id: S.sub.id });
  await call('DELETE', `${F}/${S.f1.id}`, undefined, 'adm');
  await rec('remove-subnet', 'p1', 'PUT', `${R}/${S.r1.id}/remove_router_interface`, { subnet_id: S.sub.id });
  await rec('remove-subnet-again', 'p1', 'PUT', `${R}/${S.r1.id}/remove_router_interface`, { subnet_id: S.sub.id });
  await rec('delete-with-gateway', 'p1', 'DELETE', `${R}/${S.r1.id}`);
  await rec('delete-again', 'p1', 'DELETE', `${R}/${S.r1.id}`);
  await rec('ext-network-delete', 'adm', 'DELETE', `/networks/${S.ext.id}`);
  await rec('l3-agents-member', 'p1', 'GET', `${R}/${S.rg.id}/l3-agents`);
  await rec('l3-agents-admin', 'adm', 'GET', `${R}/${S.rg.id}/l3-agents`);

  for (const f of undo.reverse()) await f();
  await sweep();
  const out = { oracle: 'neutron-server 21.0.0 (Zed), noauth, router service plugin', actors: WHO, setup: S, cases };
  writeFileSync(join(HERE, 'zed-l3.json'), JSON.stringify(out, null, 1) + '\n');
  console.log(`recorded ${Object.keys(cases).length} cases`);
}
main().catch((e) => { console.error(e); process.exit(1); });
