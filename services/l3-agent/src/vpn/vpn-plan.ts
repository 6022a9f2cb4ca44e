import type { IkePolicy, IpsecPolicy, IpsecSiteConnection } from '@neutrino/domain';
import type { L3View } from '../view/l3-view';

/** One site connection as strongSwan is configured for it (pure data from the view). */
export interface PlannedConnection {
  id: string;
  keyexchange: 'ikev1' | 'ikev2';
  left: string;
  leftsubnets: string[];
  leftid: string;
  right: string;
  rightsubnets: string[];
  rightid: string;
  psk: string;
  ike: string;
  /** `esp=` or `ah=` proposal */
  childProposal: { key: 'esp' | 'ah'; value: string };
  ikelifetime: number;
  lifetime: number;
  dpd: { action: string; delay: number; timeout: number };
  auto: 'route' | 'add';
}

/** A router's VPN: the services on it (admin up) and their connections (admin up); what its strongSwan runs. */
export interface VpnRouterPlan {
  serviceNames: string[];
  serviceIds: string[];
  connections: PlannedConnection[];
}

const ENC: Record<string, string> = { '3des': '3des', 'aes-128': 'aes128', 'aes-192': 'aes192', 'aes-256': 'aes256' };
const DH: Record<string, string> = { group2: 'modp1024', group5: 'modp1536', group14: 'modp2048' };
const DPD_ACTION: Record<string, string> = { hold: 'hold', clear: 'clear', disabled: 'none', restart: 'restart', 'restart-by-peer': 'restart' };

/** neutron-vpnaas's strongSwan template: `<enc>-<auth>-<dh>` with `!` (only that proposal). */
export const ikeProposal = (p: IkePolicy): string => `${ENC[p.encryption_algorithm]}-${p.auth_algorithm}-${DH[p.pfs]}!`;
export function childProposal(p: IpsecPolicy): PlannedConnection['childProposal'] {
  if (p.transform_protocol === 'ah') return { key: 'ah', value: `${p.auth_algorithm}-${DH[p.pfs]}!` };
  return { key: 'esp', value: `${ENC[p.encryption_algorithm]}-${p.auth_algorithm}-${DH[p.pfs]}!` };
}

/**
 * The VPN of a router here: every admin-up service of any project on it, and
 * their admin-up connections whose policies are known; the left end is the
 * router's gateway address. Undefined when there is nothing to run.
 */
export function planVpn(view: L3View, routerId: string, gatewayAddress: string | undefined): VpnRouterPlan | undefined {
  if (!gatewayAddress) return undefined;
  const serviceNames: string[] = [];
  const serviceIds: string[] = [];
  const connections: PlannedConnection[] = [];
  const projects = [...view.vpn.values()].sort((a, b) => a.project_id.localeCompare(b.project_id));
  for (const p of projects) {
    const services = Object.values(p.vpnservice).filter((s) => s.router_id === routerId && s.admin_state_up).sort((a, b) => a.id.localeCompare(b.id));
    for (const s of services) {
      serviceNames.push(s.name || s.id);
      serviceIds.push(s.id);
      const local = s.subnet_id ? view.subnets.get(s.subnet_id)?.cidr : undefined;
      const conns = Object.values(p.ipsec_site_connection).filter((c) => c.vpnservice_id === s.id && c.admin_state_up).sort((a, b) => a.id.localeCompare(b.id));
      for (const c of conns) {
        const planned = planConnection(view, p.ikepolicy[c.ikepolicy_id], p.ipsecpolicy[c.ipsecpolicy_id], c, gatewayAddress, local, p);
        if (planned) connections.push(planned);
      }
    }
  }
  return serviceIds.length ? { serviceNames, serviceIds, connections } : undefined;
}

function planConnection(
  view: L3View, ike: IkePolicy | undefined, ipsec: IpsecPolicy | undefined, c: IpsecSiteConnection, left: string, local: string | undefined,
  p: { endpoint_group: Record<string, { endpoints: string[] }> },
): PlannedConnection | undefined {
  if (!ike || !ipsec) return undefined;
  const leftsubnets = local ? [local] : (p.endpoint_group[c.local_ep_group_id ?? '']?.endpoints ?? []).map((id) => view.subnets.get(id)?.cidr).filter((x): x is string => !!x);
  const rightsubnets = c.peer_cidrs.length ? c.peer_cidrs : p.endpoint_group[c.peer_ep_group_id ?? '']?.endpoints ?? [];
  if (!leftsubnets.length || !rightsubnets.length) return undefined;
  return {
    id: c.id,
    keyexchange: ike.ike_version === 'v2' ? 'ikev2' : 'ikev1',
    left,
    leftsubnets,
    leftid: c.local_id || left,
    right: c.peer_address,
    rightsubnets,
    rightid: c.peer_id,
    psk: c.psk,
    ike: ikeProposal(ike),
    childProposal: childProposal(ipsec),
    ikelifetime: ike.lifetime.value,
    lifetime: ipsec.lifetime.value,
    dpd: { action: DPD_ACTION[c.dpd.action] ?? 'hold', delay: c.dpd.interval, timeout: c.dpd.timeout },
    auto: c.initiator === 'response-only' ? 'add' : 'route',
  };
}
