import { addressUsageOf } from '../port/address-usage';
/**
 * Test support: the reference Neutron's recorded answers (zed-*.json, made by
 * record-zed.mjs) and converters from its JSON to our model types.
 */
import type { Actor } from '../actor';
import { NeutronError } from '../errors';
import type { Network, Port, Subnet } from '../model';

export type Who = 'admin' | 'adm' | 'admm' | 'p1' | 'p2' | 'p2reader';

export const ACTORS: Record<Who, Actor> = {
  admin: { user_id: null, project_id: 'fake_project_id', roles: ['admin'] },
  adm: { user_id: null, project_id: 'dom-fx-adm', roles: ['admin'] },
  admm: { user_id: null, project_id: 'dom-fx-adm', roles: ['member'] },
  p1: { user_id: null, project_id: 'dom-fx-p1', roles: ['member'] },
  p2: { user_id: null, project_id: 'dom-fx-p2', roles: ['member'] },
  p2reader: { user_id: null, project_id: 'dom-fx-p2', roles: ['reader'] },
};

export interface ZedCase {
  request: { as: Who; method: string; path: string; body?: unknown };
  before?: Record<string, any>;
  response: { status: number; body: any };
}

export interface ZedFile {
  setup: Record<string, Record<string, any>>;
  cases: Record<string, ZedCase>;
}

export const actorOf = (c: ZedCase): Actor => ACTORS[c.request.as];
export const isError = (c: ZedCase): boolean => c.response.status >= 400;

/** The error Zed answered: status, NeutronError.type and message. */
export const zedError = (c: ZedCase) => ({
  status: c.response.status,
  type: c.response.body.NeutronError.type as string,
  message: c.response.body.NeutronError.message as string,
});

/** Runs fn and returns the NeutronError it threw, in the same shape as zedError. */
export function thrown(fn: () => unknown): { status: number; type: string; message: string } | 'no error' {
  try {
    fn();
  } catch (e) {
    if (e instanceof NeutronError) return { status: e.status, type: e.type, message: e.message };
    throw e;
  }
  return 'no error';
}

const pick = <T>(src: Record<string, any>, keys: Array<keyof T>): T =>
  Object.fromEntries(keys.map((k) => [k, structuredClone(src[k as string])])) as T;

export const toNetwork = (n: Record<string, any>): Network =>
  pick<Network>(n, [
    'id', 'name', 'description', 'tenant_id', 'project_id', 'admin_state_up', 'status', 'shared', 'router:external', 'mtu',
    'port_security_enabled', 'provider:network_type', 'provider:physical_network', 'provider:segmentation_id', 'subnets',
    'tags', 'created_at', 'updated_at', 'revision_number',
  ]);

export const toSubnet = (s: Record<string, any>): Subnet =>
  pick<Subnet>(s, [
    'id', 'name', 'description', 'tenant_id', 'project_id', 'network_id', 'ip_version', 'cidr', 'gateway_ip',
    'allocation_pools', 'dns_nameservers', 'host_routes', 'enable_dhcp', 'ipv6_ra_mode', 'ipv6_address_mode',
    'subnetpool_id', 'tags', 'created_at', 'updated_at', 'revision_number',
  ]);

export const toPort = (p: Record<string, any>): Port =>
  pick<Port>(p, [
    'id', 'name', 'description', 'tenant_id', 'project_id', 'network_id', 'admin_state_up', 'status', 'mac_address',
    'fixed_ips', 'device_id', 'device_owner', 'security_groups', 'port_security_enabled', 'allowed_address_pairs',
    'extra_dhcp_opts', 'binding:host_id', 'binding:profile', 'binding:vif_type', 'binding:vif_details',
    'binding:vnic_type', 'tags', 'created_at', 'updated_at', 'revision_number',
  ]);

/** Setup objects by kind. */
export const networksOf = (f: ZedFile): Network[] =>
  Object.values(f.setup).filter((o) => 'subnets' in o).map(toNetwork);
export const subnetsOf = (f: ZedFile): Subnet[] =>
  Object.values(f.setup).filter((o) => 'cidr' in o).map(toSubnet);
export const portsOf = (f: ZedFile): Port[] =>
  Object.values(f.setup).filter((o) => 'mac_address' in o).map(toPort);

/** Addresses and MACs in use on a network, as the caller computes them from the read model. */
export function usage(ports: Port[], networkId: string, exceptPortId?: string) {
  return { usage: addressUsageOf(ports.filter((p) => p.network_id === networkId && p.id !== exceptPortId)) };
}

/** Extension attributes Zed shows that Neutrino deliberately leaves out (see the presenters). */
export const OMITTED = new Set([
  'availability_zone_hints', 'availability_zones', 'ipv4_address_scope', 'ipv6_address_scope',
  'dns_domain', 'l2_adjacency', 'is_default', 'service_types', 'dns_publish_fixed_ip', 'segment_id',
  'dns_name', 'dns_assignment', 'propagate_uplink_status', 'resource_request', 'ip_allocation',
]);

export const withoutOmitted = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !OMITTED.has(k)));
