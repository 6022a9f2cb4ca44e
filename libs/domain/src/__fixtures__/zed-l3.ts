/** Test support for zed-l3.json (made by record-zed-l3.mjs): routers and floating IPs on one recorded scenario. */
import type { Actor } from '../actor';
import type { FloatingIp, Router } from '../model';
import zed from './zed-l3.json';
import { toNetwork, toPort, toSubnet } from './zed';

export interface L3Case {
  request: { as: 'adm' | 'p1'; method: string; path: string; body?: any };
  response: { status: number; body: any };
}

interface L3File {
  actors: Record<string, { project_id: string; roles: string[] }>;
  setup: Record<string, any>;
  cases: Record<string, L3Case>;
}

export const L3 = zed as unknown as L3File;
export const S = L3.setup;
export const l3Case = (name: string): L3Case => {
  const c = L3.cases[name];
  if (!c) throw new Error(`no recorded case ${name}`);
  return c;
};
export const l3Actor = (c: L3Case): Actor => ({ user_id: null, ...L3.actors[c.request.as] });
export const l3Error = (c: L3Case) => ({
  status: c.response.status,
  type: c.response.body.NeutronError.type as string,
  message: c.response.body.NeutronError.message as string,
});

export const networks = ['ext', 'tiny', 'bare', 'net', 'net3'].map((k) => toNetwork(S[k]));
export const subnets = ['extSub', 'tinySub', 'sub', 'sub2', 'overlap', 'nogw'].map((k) => toSubnet(S[k]));
export const ports = ['port', 'multi', 'owned', 'noip', 'attached', 'ifport', 'ifSubnetPort'].map((k) => toPort(S[k]));
export const network = (id: string) => networks.find((n) => n.id === id);
export const subnetsOf = (id: string) => subnets.filter((s) => s.network_id === id);

export const toRouter = (r: Record<string, any>): Router => ({
  id: r.id, name: r.name, description: r.description, tenant_id: r.tenant_id, project_id: r.project_id, admin_state_up: r.admin_state_up,
  status: r.status, external_gateway_info: structuredClone(r.external_gateway_info), routes: structuredClone(r.routes),
  distributed: r.distributed ?? false, ha: r.ha ?? false, tags: [...r.tags], created_at: r.created_at, updated_at: r.updated_at,
  revision_number: r.revision_number,
});

export const toFloatingIp = (f: Record<string, any>): FloatingIp => ({
  id: f.id, description: f.description, tenant_id: f.tenant_id, project_id: f.project_id, floating_network_id: f.floating_network_id,
  floating_ip_address: f.floating_ip_address, port_id: f.port_id, fixed_ip_address: f.fixed_ip_address, router_id: f.router_id,
  status: f.status, tags: [...f.tags], created_at: f.created_at, updated_at: f.updated_at, revision_number: f.revision_number,
});

/** What Zed shows that Neutrino leaves out (availability zones, flavors, conntrack helpers, QoS, DNS, port forwardings). */
const OMITTED = ['availability_zones', 'availability_zone_hints', 'flavor_id', 'conntrack_helpers', 'qos_policy_id', 'dns_domain', 'dns_name'];
export const withoutOmittedL3 = (o: Record<string, any>): Record<string, any> => Object.fromEntries(Object.entries(o).filter(([k]) => !OMITTED.includes(k)));
