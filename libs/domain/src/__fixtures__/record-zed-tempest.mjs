#!/usr/bin/env node
// Records the reference Neutron's answers (Zed 21.0.0, ../shared/reference-neutron) to the cases
// tempest and neutron-tempest-plugin found Neutrino apart on (issue 13): an external network deleted
// with floating IPs, IPv6 auto-address subnets deleted with ports, router revisions, the v2 details
// document, wrapped bulk items, the subnets' shared filter, blank floating IP updates. Into
// zed-tempest.json; run by hand, never by the tests:
//   node libs/domain/src/__fixtures__/record-zed-tempest.mjs [http://127.0.0.1:9696]
// Projects dom-fx-p1 (member) and dom-fx-adm (admin). The cases run in order on one scenario.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = process.argv[2] ?? 'http://127.0.0.1:9696';
const HERE = dirname(fileURLToPath(import.meta.url));
const WHO = { adm: { project_id: 'dom-fx-adm', roles: ['admin'] }, p1: { project_id: 'dom-fx-p1', roles: ['member'] } };

async function call(method, path, body, who = 'adm') {
  const w = WHO[who];
  const headers = { 'X-Project-Id': w.project_id, 'X-Roles': w.roles.join(','), Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(ROOT + (path.startsWith('/v2.0') ? path : `/v2.0${path}`), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = text; }
  return { status: res.status, body: json };
}
const one = (r) => Object.values(r.body)[0];
async function make(collection, body, who = 'adm') {
  const r = await call('POST', `/${collection}`, body, who);
  if (r.status !== 201) throw new Error(`setup ${collection}: ${JSON.stringify(r)}`);
  return one(r);
}

/** Removes what an earlier run left: floating IPs, routers, ports, networks and groups named dom-fx-tx-*. */
async function sweep() {
  const mine = (o) => ['dom-fx-p1', 'dom-fx-adm'].includes(o.project_id);
  const nets = (await call('GET', '/networks')).body.networks.filter((n) => mine(n) && n.name.startsWith('dom-fx-tx-'));
  for (const f of (await call('GET', '/floatingips')).body.floatingips) if (nets.some((n) => n.id === f.floating_network_id)) await call('DELETE', `/floatingips/${f.id}`);
  for (const r of (await call('GET', '/routers')).body.routers) {
    if (!mine(r) || !r.name.startsWith('dom-fx-tx-')) continue;
    await call('PUT', `/routers/${r.id}`, { router: { routes: [], external_gateway_info: {} } });
    for (const p of (await call('GET', `/ports?device_id=${r.id}&device_owner=network:router_interface`)).body.ports)
      await call('PUT', `/routers/${r.id}/remove_router_interface`, { port_id: p.id });
    await call('DELETE', `/routers/${r.id}`);
  }
  for (const n of nets) {
    for (const p of (await call('GET', `/ports?network_id=${n.id}`)).body.ports) await call('DELETE', `/ports/${p.id}`);
    await call('DELETE', `/networks/${n.id}`);
  }
  for (const g of (await call('GET', '/security-groups', undefined, 'p1')).body.security_groups) if (g.name.startsWith('dom-fx-tx-')) await call('DELETE', `/security-groups/${g.id}`);
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

  // An external network deleted with a floating IP that is not associated: it goes with it.
  S.ext = await make('networks', { network: { name: 'dom-fx-tx-ext', 'router:external': true } });
  S.extSub = await make('subnets', { subnet: { network_id: S.ext.id, cidr: '203.0.113.0/24', ip_version: 4 } });
  S.loose = await make('floatingips', { floatingip: { floating_network_id: S.ext.id } });
  S.loosePort = (await call('GET', `/ports?device_id=${S.loose.id}`)).body.ports[0];
  await rec('extnet-delete-disassociated', 'adm', 'DELETE', `/networks/${S.ext.id}`);
  await rec('extnet-disassociated-fip-gone', 'adm', 'GET', `/floatingips/${S.loose.id}`);

  // With a router's gateway and an associated floating IP on it, the network is in use.
  S.ext2 = await make('networks', { network: { name: 'dom-fx-tx-ext2', 'router:external': true } });
  S.ext2Sub = await make('subnets', { subnet: { network_id: S.ext2.id, cidr: '198.51.100.0/24', ip_version: 4 } });
  S.net = await make('networks', { network: { name: 'dom-fx-tx-net' } });
  S.sub = await make('subnets', { subnet: { network_id: S.net.id, cidr: '10.90.0.0/24', ip_version: 4 } });
  S.router = await make('routers', { router: { name: 'dom-fx-tx-r', external_gateway_info: { network_id: S.ext2.id } } });
  await call('PUT', `/routers/${S.router.id}/add_router_interface`, { subnet_id: S.sub.id });
  S.vm = await make('ports', { port: { network_id: S.net.id, name: 'dom-fx-tx-vm' } });
  S.fip = await make('floatingips', { floatingip: { floating_network_id: S.ext2.id, port_id: S.vm.id, description: 'd1' } });
  S.gwPort = (await call('GET', `/ports?device_id=${S.router.id}&device_owner=network:router_gateway`)).body.ports[0];
  S.fipPort = (await call('GET', `/ports?device_id=${S.fip.id}`)).body.ports[0];
  S.ifPort = (await call('GET', `/ports?device_id=${S.router.id}&device_owner=network:router_interface`)).body.ports[0];
  await rec('extnet-delete-associated', 'adm', 'DELETE', `/networks/${S.ext2.id}`);

  // Floating IP updates: a description keeps the association, a blank update clears it; every update bumps revision_number.
  await rec('fip-update-description', 'adm', 'PUT', `/floatingips/${S.fip.id}`, { floatingip: { description: 'd2' } });
  await rec('fip-update-blank', 'adm', 'PUT', `/floatingips/${S.fip.id}`, { floatingip: {} });
  await rec('fip-update-blank-again', 'adm', 'PUT', `/floatingips/${S.fip.id}`, { floatingip: {} });
  await rec('fip-update-disassociate-again', 'adm', 'PUT', `/floatingips/${S.fip.id}`, { floatingip: { port_id: null } });
  await rec('fip-update-same-description', 'adm', 'PUT', `/floatingips/${S.fip.id}`, { floatingip: { description: 'd2' } });

  // Router revisions.
  S.r2 = await make('routers', { router: { name: 'dom-fx-tx-r2' } });
  await rec('router-update-name', 'adm', 'PUT', `/routers/${S.r2.id}`, { router: { name: 'dom-fx-tx-r2b' } });
  await rec('router-update-same-name', 'adm', 'PUT', `/routers/${S.r2.id}`, { router: { name: 'dom-fx-tx-r2b' } });
  await rec('router-update-empty', 'adm', 'PUT', `/routers/${S.r2.id}`, { router: {} });
  await rec('router-update-routes-same', 'adm', 'PUT', `/routers/${S.r2.id}`, { router: { routes: [] } });
  S.net2 = await make('networks', { network: { name: 'dom-fx-tx-net2' } });
  S.sub2 = await make('subnets', { subnet: { network_id: S.net2.id, cidr: '10.91.0.0/24', ip_version: 4 } });
  await rec('router-add-interface', 'adm', 'PUT', `/routers/${S.r2.id}/add_router_interface`, { subnet_id: S.sub2.id });
  await rec('router-after-interface', 'adm', 'GET', `/routers/${S.r2.id}`);

  // IPv6 auto-address subnets with ports: deleted, the ports lose their address on them.
  S.v6net = await make('networks', { network: { name: 'dom-fx-tx-v6' } }, 'p1');
  S.v4sub = await make('subnets', { subnet: { network_id: S.v6net.id, cidr: '10.92.0.0/24', ip_version: 4 } }, 'p1');
  S.slaac = await make('subnets', { subnet: { network_id: S.v6net.id, cidr: '2001:db8:91::/64', ip_version: 6, ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' } }, 'p1');
  S.stateless = await make('subnets', { subnet: { network_id: S.v6net.id, cidr: '2001:db8:92::/64', ip_version: 6, ipv6_ra_mode: 'dhcpv6-stateless', ipv6_address_mode: 'dhcpv6-stateless' } }, 'p1');
  S.stateful = await make('subnets', { subnet: { network_id: S.v6net.id, cidr: '2001:db8:93::/64', ip_version: 6, ipv6_ra_mode: 'dhcpv6-stateful', ipv6_address_mode: 'dhcpv6-stateful' } }, 'p1');
  S.v6port = await make('ports', { port: { network_id: S.v6net.id, name: 'dom-fx-tx-v6port' } }, 'p1');
  await rec('slaac-delete', 'p1', 'DELETE', `/subnets/${S.slaac.id}`);
  await rec('stateless-delete', 'p1', 'DELETE', `/subnets/${S.stateless.id}`);
  await rec('stateful-delete', 'p1', 'DELETE', `/subnets/${S.stateful.id}`);
  await rec('v6-port-after', 'p1', 'GET', `/ports/${S.v6port.id}`);
  await rec('v6-network-delete', 'p1', 'DELETE', `/networks/${S.v6net.id}`);
  S.slaacIf = await make('subnets', { subnet: { network_id: S.v6net.id, cidr: '2001:db8:94::/64', ip_version: 6, ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' } }, 'p1');
  S.r6 = await make('routers', { router: { name: 'dom-fx-tx-r6' } }, 'p1');
  S.r6if = (await call('PUT', `/routers/${S.r6.id}/add_router_interface`, { subnet_id: S.slaacIf.id }, 'p1')).body;
  await rec('slaac-delete-router-interface', 'p1', 'DELETE', `/subnets/${S.slaacIf.id}`);

  // The v2 details document.
  await rec('v2-details', 'p1', 'GET', '/v2.0/');
  await rec('v2-details-no-slash', 'p1', 'GET', '/v2.0');

  // Bulk items wrapped in the singular key (what tempest's clients send).
  await rec('sg-bulk-wrapped', 'p1', 'POST', '/security-groups', { security_groups: [{ security_group: { name: 'dom-fx-tx-sg1' } }, { security_group: { name: 'dom-fx-tx-sg2' } }] });
  await rec('sg-bulk-wrapped-bad', 'p1', 'POST', '/security-groups', { security_groups: [{ security_group: { name: 'dom-fx-tx-sg3' } }, { security_group: { name: 'dom-fx-tx-sg4', bogus: 1 } }] });
  await rec('sg-after-bulk', 'p1', 'GET', '/security-groups?name=dom-fx-tx-sg1&name=dom-fx-tx-sg2&name=dom-fx-tx-sg3&name=dom-fx-tx-sg4&fields=name');

  // Filtering subnets on shared (their network's).
  S.shared = await make('networks', { network: { name: 'dom-fx-tx-shared', shared: true } });
  S.sharedSub = await make('subnets', { subnet: { network_id: S.shared.id, cidr: '10.93.0.0/24', ip_version: 4, name: 'dom-fx-tx-shared-sub' } });
  S.privNet = await make('networks', { network: { name: 'dom-fx-tx-priv' } }, 'p1');
  S.privSub = await make('subnets', { subnet: { network_id: S.privNet.id, cidr: '10.94.0.0/24', ip_version: 4, name: 'dom-fx-tx-priv-sub' } }, 'p1');
  const only = '&name=dom-fx-tx-shared-sub&name=dom-fx-tx-priv-sub&fields=name';
  await rec('subnets-shared-true', 'p1', 'GET', `/subnets?shared=true${only}`);
  await rec('subnets-shared-false', 'p1', 'GET', `/subnets?shared=false${only}`);
  await rec('subnets-shared-first-value', 'p1', 'GET', `/subnets?shared=true&shared=false${only}`);
  await rec('subnets-shared-bogus', 'p1', 'GET', `/subnets?shared=bogus${only}`);

  const out = { oracle: 'neutron-server 21.0.0 (Zed), noauth, router service plugin', actors: WHO, setup: S, cases };
  writeFileSync(join(HERE, 'zed-tempest.json'), JSON.stringify(out, null, 1) + '\n');
  await sweep();
  console.log(`recorded ${Object.keys(cases).length} cases`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
