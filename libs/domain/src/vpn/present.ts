/** VPN objects as neutron-vpnaas's _make_*_dict show them (tenant_id and project_id both, as resource_fields adds). */
import type { EndpointGroup, IkePolicy, IpsecPolicy, IpsecSiteConnection, VpnKind, VpnKindMap, VpnService } from './model';

const owner = (o: { tenant_id: string }) => ({ tenant_id: o.tenant_id, project_id: o.tenant_id });

export function presentIkePolicy(p: IkePolicy): Record<string, unknown> {
  return {
    id: p.id, ...owner(p), name: p.name, description: p.description, auth_algorithm: p.auth_algorithm, encryption_algorithm: p.encryption_algorithm,
    phase1_negotiation_mode: p.phase1_negotiation_mode, lifetime: { ...p.lifetime }, ike_version: p.ike_version, pfs: p.pfs,
  };
}

export function presentIpsecPolicy(p: IpsecPolicy): Record<string, unknown> {
  return {
    id: p.id, ...owner(p), name: p.name, description: p.description, transform_protocol: p.transform_protocol, auth_algorithm: p.auth_algorithm,
    encryption_algorithm: p.encryption_algorithm, encapsulation_mode: p.encapsulation_mode, lifetime: { ...p.lifetime }, pfs: p.pfs,
  };
}

export function presentVpnService(s: VpnService): Record<string, unknown> {
  return {
    id: s.id, name: s.name, description: s.description, ...owner(s), subnet_id: s.subnet_id, router_id: s.router_id, flavor_id: s.flavor_id,
    admin_state_up: s.admin_state_up, external_v4_ip: s.external_v4_ip, external_v6_ip: s.external_v6_ip, status: s.status,
  };
}

export function presentConnection(c: IpsecSiteConnection): Record<string, unknown> {
  return {
    id: c.id, ...owner(c), name: c.name, description: c.description, peer_address: c.peer_address, peer_id: c.peer_id, local_id: c.local_id,
    route_mode: c.route_mode, mtu: c.mtu, auth_mode: c.auth_mode, psk: c.psk, initiator: c.initiator, dpd: { ...c.dpd },
    admin_state_up: c.admin_state_up, status: c.status, vpnservice_id: c.vpnservice_id, ikepolicy_id: c.ikepolicy_id, ipsecpolicy_id: c.ipsecpolicy_id,
    peer_cidrs: [...c.peer_cidrs], local_ep_group_id: c.local_ep_group_id, peer_ep_group_id: c.peer_ep_group_id,
  };
}

export function presentEndpointGroup(g: EndpointGroup): Record<string, unknown> {
  return { id: g.id, ...owner(g), name: g.name, description: g.description, type: g.type, endpoints: [...g.endpoints] };
}

export function presentVpn<K extends VpnKind>(kind: K, o: VpnKindMap[K]): Record<string, unknown> {
  switch (kind) {
    case 'ikepolicy': return presentIkePolicy(o as IkePolicy);
    case 'ipsecpolicy': return presentIpsecPolicy(o as IpsecPolicy);
    case 'vpnservice': return presentVpnService(o as VpnService);
    case 'ipsec_site_connection': return presentConnection(o as IpsecSiteConnection);
    default: return presentEndpointGroup(o as EndpointGroup);
  }
}
