import type { Port, Subnet } from '@neutrino/domain';
import { prefixLength } from '@neutrino/netaddr';
import { L3View } from '../view/l3-view';
import { planPortForwardings, type PlannedPortForwarding } from './port-forwarding';
import { planVpn, type VpnRouterPlan } from '../vpn/vpn-plan';
import {
  ROUTER_GATEWAY_OWNER as ROUTER_GATEWAY, ROUTER_HA_INTERFACE_OWNER as ROUTER_HA_INTERFACE, ROUTER_INTERFACE_OWNER as ROUTER_INTERFACE,
  haName, qgName, qrName, routerNetns, tapName,
} from '@neutrino/naming';

export interface PlannedPort {
  port: Port;
  /** qr-/qg-/ha- device in the namespace */
  dev: string;
  tap: string;
  mtu?: number;
  /** `<ip>/<subnet prefix>` per fixed IP on a known subnet */
  cidrs: string[];
}

export interface PlannedFloatingIp {
  id: string;
  floatingIp: string;
  fixedIp: string;
}

/** Everything one router on this host is rendered from (pure data, from the view). */
export interface RouterPlan {
  id: string;
  netns: string;
  interfaces: PlannedPort[];
  gateway?: PlannedPort & { address: string; gatewayIp?: string; enableSnat: boolean };
  floatingIps: PlannedFloatingIp[];
  /** the port forwardings of floating IPs through this router (only with a gateway) */
  portForwardings: PlannedPortForwarding[];
  routes: Array<{ destination: string; nexthop: string }>;
  ha?: { port: PlannedPort; vrid: number };
  /** the router's VPN services and site connections (strongSwan in its namespace), when it has any and a gateway */
  vpn?: VpnRouterPlan;
}

const isV4 = (ip: string) => !ip.includes(':');

function planPort(view: L3View, p: Port, dev: string): PlannedPort {
  const cidrs: string[] = [];
  for (const f of p.fixed_ips) {
    const s: Subnet | undefined = view.subnets.get(f.subnet_id);
    if (s) cidrs.push(`${f.ip_address}/${prefixLength(s.cidr)}`);
  }
  const mtu = view.networks.get(p.network_id)?.mtu || undefined;
  return { port: p, dev, tap: tapName(p.id), ...(mtu ? { mtu } : {}), cidrs };
}

/**
 * A router on this host (administratively up): its internal interfaces, the
 * gateway with the first IPv4 address and the external subnet's gateway, the
 * floating IPs associated through it (only with a gateway), extra routes,
 * and for an HA router this host's HA port and the VRID.
 */
export function planRouter(view: L3View, routerId: string, netnsPrefix: string): RouterPlan | undefined {
  const r = view.routers.get(routerId);
  if (!r || !r.admin_state_up) return undefined;
  const interfaces = view.portsOf(r.id, ROUTER_INTERFACE).map((p) => planPort(view, p, qrName(p.id)));
  const plan: RouterPlan = { id: r.id, netns: routerNetns(r.id, netnsPrefix), interfaces, floatingIps: [], portForwardings: [], routes: r.routes.map((x) => ({ ...x })) };
  const gwPort = r.external_gateway_info ? view.portsOf(r.id, ROUTER_GATEWAY)[0] : undefined;
  if (gwPort) {
    const gw = planPort(view, gwPort, qgName(gwPort.id));
    const first = gwPort.fixed_ips.find((f) => isV4(f.ip_address) && view.subnets.has(f.subnet_id));
    if (first) {
      const gatewayIp = view.subnets.get(first.subnet_id)!.gateway_ip ?? undefined;
      plan.gateway = { ...gw, address: first.ip_address, ...(gatewayIp ? { gatewayIp } : {}), enableSnat: r.external_gateway_info!.enable_snat !== false };
      plan.floatingIps = view
        .floatingIpsOf(r.id)
        .filter((f) => isV4(f.floating_ip_address))
        .map((f) => ({ id: f.id, floatingIp: f.floating_ip_address, fixedIp: f.fixed_ip_address! }))
        .sort((a, b) => a.floatingIp.localeCompare(b.floatingIp, undefined, { numeric: true }) || a.id.localeCompare(b.id));
      plan.portForwardings = planPortForwardings(view.forwardingFipsOf(r.id));
    }
  }
  const vpn = planVpn(view, r.id, plan.gateway?.address);
  if (vpn) plan.vpn = vpn;
  if (r.ha) {
    const haPort = view.portsOf(r.id, ROUTER_HA_INTERFACE).find((p) => p['binding:host_id'] === view.host);
    const vrid = view.vrids.get(r.id) ?? 0;
    if (haPort && vrid > 0) plan.ha = { port: planPort(view, haPort, haName(haPort.id)), vrid };
  }
  return plan;
}
