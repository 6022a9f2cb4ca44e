import { isAdmin, type Actor } from '../actor';
import { policyDenied } from '../common/policy';
import { portNotFound, subnetNotFound } from '../common/errors';
import type { Decider } from '../decider';
import { conflict } from '../errors';
import type { CoreEvent } from '../events';
import type { ExternalGatewayInfo, FixedIp, FloatingIp, Port, Router, Subnet } from '../model';
import { vpnErrors } from '../vpn/errors';
import { buildRouter } from './build';
import {
  badRouterRequest, gatewayInUseByFloatingIp, routerHostedByL3Agent, routerNotFound, interfaceInUseByFloatingIp, routerInUse, routerInterfaceNotFound, routerInterfaceNotFoundForSubnet,
} from './errors';
import { evolvePlacement, evolveRouter, type RouterPlacement } from './evolve';
import { gatewayInfo, type GatewayRequest } from './gateway';
import { checkInterfacePort, checkInterfaceSubnet, checkNewSubnets, checkRemoveSubnet, type InterfaceRequest } from './interfaces';
import { onSubnet } from './routes';
import { validateRouterCreate, type RouterNetworks } from './validate-create';
import { validateRouterUpdate, type RouterUpdatePlan } from './validate-update';

export type RouterEvent = CoreEvent<'router.created' | 'router.updated' | 'router.deleted' | 'router.scheduled' | 'router.interface_added'>;

/** A gateway port reserved in ipam before deciding: its addresses and the request they were reserved for. */
export interface ReservedGateway {
  fixed_ips: FixedIp[];
  for: string;
}

export type RouterCommand =
  | { type: 'CreateRouter'; body: unknown; actor: Actor; id: string; now: string; gateway?: ReservedGateway }
  | { type: 'UpdateRouter'; body: unknown; actor: Actor; gateway?: ReservedGateway }
  | { type: 'DeleteRouter'; actor: Actor }
  /**
   * The interface port `port_id` (recorded, or attached) joins the router:
   * decided again without that port, so concurrent adds of one subnet (or of
   * overlapping ones) are refused but for one.
   */
  | { type: 'AddRouterInterface'; request: InterfaceRequest; actor: Actor; port_id: string; visibleSubnet: (id: string) => Subnet | undefined; visiblePort: (id: string) => Port | undefined }
  /** Places the router on l3-agent hosts (chosen by the scheduler from the agents' loads). */
  | { type: 'ScheduleRouter'; hosts: string[] }
  /**
   * POST /agents/<id>/l3-routers: the router runs on this agent's host too (HA) or now (a router
   * nowhere); a legacy router on another agent is refused, naming it (`agentOfHost`).
   */
  | { type: 'AddRouterToAgent'; host: string; agentOfHost: (host: string) => string }
  /** DELETE /agents/<id>/l3-routers/<router>: no longer on that host (nowhere, for a legacy router, until a command schedules it again). */
  | { type: 'RemoveRouterFromAgent'; host: string }
  /** A legacy router's l3-agent is dead (allow_automatic_l3agent_failover): it moves to `to`. */
  | { type: 'RescheduleRouter'; from: string; to: string };

export interface RouterState {
  router: Router | undefined;
  /** The external networks and their subnets the caller may use for a gateway. */
  networks: RouterNetworks;
  /** The router's interface and gateway ports (routes' next hops, RouterInUse). */
  ports: Port[];
  subnet: (id: string) => Subnet | undefined;
  /** The floating IPs associated through the router (a gateway or an interface they need). */
  floatingIps: FloatingIp[];
  /** The VPN services on the router, of any project (they need its gateway and their subnets' interfaces); none when absent. */
  vpn?: RouterVpnUse;
  /** Where it runs (router.scheduled), when the command needs it. */
  placement?: RouterPlacement;
}

/** What of the VPN uses a router (neutron-vpnaas's callbacks on its gateway and interfaces). */
export interface RouterVpnUse {
  /** its VPN services, oldest first, with their local subnet */
  services: Array<{ id: string; subnet_id: string | null }>;
  /** connections of those services whose local endpoint group names subnets */
  connections: Array<{ id: string; subnet_ids: string[] }>;
}

/** RouterInUse while VPN services use the gateway (clearing or moving it, deleting the router). */
function checkGatewayNotUsedByVpn(router: Router, vpn: RouterVpnUse | undefined): void {
  if (vpn?.services.length) throw vpnErrors.routerInUseByVpn(router.id, vpn.services.map((s) => s.id));
}

/** SubnetInUseByVPNService / SubnetInUseByIPsecSiteConnection while a VPN service or connection of the router has it as its local subnet. */
function checkSubnetNotUsedByVpn(subnetId: string, vpn: RouterVpnUse | undefined): void {
  const service = vpn?.services.find((s) => s.subnet_id === subnetId);
  if (service) throw vpnErrors.subnetInUseByService(subnetId, service.id);
  const connection = vpn?.connections.find((c) => c.subnet_ids.includes(subnetId));
  if (connection) throw vpnErrors.subnetInUseByConnection(subnetId, connection.id);
}

const INTERFACE_OWNER = 'network:router_interface';
const GATEWAY_OWNER = 'network:router_gateway';

/** What a gateway change does to the gateway port. */
export type GatewayChange =
  | { kind: 'none' }
  /** Same network and addresses: only SNAT changes, no port is touched. */
  | { kind: 'snat'; info: ExternalGatewayInfo }
  | { kind: 'clear' }
  /** A new gateway port (set, moved to another network, or other addresses). */
  | { kind: 'set'; request: GatewayRequest };

export const gatewayKey = (req: GatewayRequest): string => JSON.stringify({ network_id: req.network_id, ips: req.ips });

/** Sets, moves or clears the gateway; clearing or moving is refused while floating IPs need it. */
export function gatewayChange(router: Router, gw: GatewayRequest | null | undefined, floatingIps: FloatingIp[], vpn?: RouterVpnUse): GatewayChange {
  const cur = router.external_gateway_info;
  if (gw === undefined || (gw === null && !cur)) return { kind: 'none' };
  if (gw && cur && gw.network_id === cur.network_id && !gw.fixedIpsGiven) {
    return gw.enable_snat === cur.enable_snat ? { kind: 'none' } : { kind: 'snat', info: { ...cur, enable_snat: gw.enable_snat } };
  }
  if (cur && (!gw || gw.network_id !== cur.network_id)) {
    if (floatingIps.some((f) => f.floating_network_id === cur.network_id)) throw gatewayInUseByFloatingIp(router.id, cur.network_id);
    // the old gateway port goes (Zed's _delete_router_gw_port_db): neutron-vpnaas refuses while VPN services use it
    checkGatewayNotUsedByVpn(router, vpn);
  }
  return gw ? { kind: 'set', request: gw } : { kind: 'clear' };
}

const addresses = (state: RouterState) => {
  const own = state.ports.filter((p) => p.device_owner === INTERFACE_OWNER || p.device_owner === GATEWAY_OWNER);
  const subnets = [...new Set(own.flatMap((p) => p.fixed_ips.map((f) => f.subnet_id)))].map(state.subnet).filter((s): s is Subnet => !!s);
  return { fixedIps: own.flatMap((p) => p.fixed_ips), subnets };
};

/** The update's plan and what it does to the gateway (pure; the router process reserves a port for a 'set'). */
export function planRouterUpdate(command: { body: unknown; actor: Actor }, state: RouterState): { plan: RouterUpdatePlan; gateway: GatewayChange } {
  const router = state.router;
  if (!router) throw routerNotFound('');
  const plan = validateRouterUpdate(command.body, router, command.actor, { ...state.networks, addresses: addresses(state) });
  return { plan, gateway: gatewayChange(router, plan.gateway, state.floatingIps, state.vpn) };
}

function decide(command: RouterCommand, state: RouterState): RouterEvent[] {
  switch (command.type) {
    case 'CreateRouter': {
      if (state.router) throw conflict('RouterExists', `Router ${command.id} already exists.`);
      const attrs = validateRouterCreate(command.body, command.actor, state.networks);
      if (attrs.gateway && command.gateway?.for !== gatewayKey(attrs.gateway)) throw conflict('Conflict', 'The gateway changed while the request was decided; try again.');
      const gw = attrs.gateway ? gatewayInfo(attrs.gateway, command.gateway!.fixed_ips) : null;
      return [{ type: 'router.created', data: { router: buildRouter(attrs, { id: command.id, now: command.now }, gw) } }];
    }
    case 'UpdateRouter': {
      const { plan, gateway } = planRouterUpdate(command, state);
      const changes: Partial<Router> = { ...plan.changes };
      if (gateway.kind === 'snat') changes.external_gateway_info = gateway.info;
      if (gateway.kind === 'clear') changes.external_gateway_info = null;
      if (gateway.kind === 'set') {
        if (command.gateway?.for !== gatewayKey(gateway.request)) throw conflict('Conflict', `The gateway of router ${state.router!.id} changed while the request was decided; try again.`);
        changes.external_gateway_info = gatewayInfo(gateway.request, command.gateway.fixed_ips);
      }
      // As Zed: an update naming a router attribute bumps revision_number even when it changes nothing.
      return Object.keys(changes).length || plan.touches ? [{ type: 'router.updated', data: { changes } }] : [];
    }
    case 'DeleteRouter': {
      const router = state.router;
      if (!router) return [];
      checkRouterOwner(router, command.actor, 'delete_router');
      const attached = state.ports.filter((p) => p.device_owner === INTERFACE_OWNER).map((p) => p.id).sort();
      if (attached.length) throw routerInUse(router.id, attached);
      // then the gateway port goes (Zed's delete_router → _delete_current_gw_port)
      if (router.external_gateway_info) checkGatewayNotUsedByVpn(router, state.vpn);
      return [{ type: 'router.deleted', data: { router_id: router.id } }];
    }
    case 'AddRouterInterface': {
      if (!state.router) throw routerNotFound('');
      const others = { ...state, ports: state.ports.filter((p) => p.id !== command.port_id) };
      const visiblePort = (id: string) => (id === command.port_id ? { ...command.visiblePort(id)!, device_id: '' } : command.visiblePort(id));
      const plan = planInterfaceAdd(command.request, command.actor, { ...others, visibleSubnet: command.visibleSubnet, visiblePort });
      const subnet_ids = plan.kind === 'subnet' ? [plan.subnet.id] : plan.port.fixed_ips.map((f) => f.subnet_id);
      return [{ type: 'router.interface_added', data: { router_id: state.router.id, port_id: command.port_id, subnet_ids } }];
    }
    case 'ScheduleRouter':
      return state.router && command.hosts.length ? [{ type: 'router.scheduled', data: { router_id: state.router.id, hosts: command.hosts } }] : [];
    case 'AddRouterToAgent': {
      if (!state.router) throw routerNotFound('');
      const hosts = state.placement?.hosts ?? [];
      if (hosts.includes(command.host)) return [];
      if (hosts.length && !state.router.ha) throw routerHostedByL3Agent(state.router.id, command.agentOfHost(hosts[0]));
      return [{ type: 'router.scheduled', data: { router_id: state.router.id, hosts: [...hosts, command.host] } }];
    }
    case 'RemoveRouterFromAgent': {
      if (!state.router) throw routerNotFound('');
      const hosts = state.placement?.hosts ?? [];
      if (!hosts.includes(command.host)) return [];
      return [{ type: 'router.scheduled', data: { router_id: state.router.id, hosts: hosts.filter((h) => h !== command.host) } }];
    }
    case 'RescheduleRouter': {
      const hosts = state.placement?.hosts ?? [];
      // moved meanwhile (by an admin, or by another gateway's sweep): nothing to do
      if (!state.router || state.router.ha || hosts.length !== 1 || hosts[0] !== command.from) return [];
      return [{ type: 'router.scheduled', data: { router_id: state.router.id, hosts: [command.to] } }];
    }
  }
}

/** Only the router's project (or an admin) changes its interfaces. */
export function checkRouterOwner(router: Router, actor: Actor, action: string): void {
  if (!isAdmin(actor) && router.project_id !== actor.project_id) throw policyDenied(`rule:${action}`);
}

/** What add_router_interface attaches: a new port on a subnet (at its gateway address), or an existing port. */
export type InterfaceAdd = { kind: 'subnet'; subnet: Subnet } | { kind: 'port'; port: Port };

/**
 * add_router_interface's decision. As in Neutron, a non-admin may attach only
 * a subnet its project owns or a port it owns (else 400): a tenant must not
 * take a shared network's gateway address.
 */
export function planInterfaceAdd(
  req: InterfaceRequest,
  actor: Actor,
  state: RouterState & { visibleSubnet: (id: string) => Subnet | undefined; visiblePort: (id: string) => Port | undefined },
): InterfaceAdd {
  const router = state.router!;
  checkRouterOwner(router, actor, 'add_router_interface');
  const interfaces = state.ports.filter((p) => p.device_owner === INTERFACE_OWNER);
  if (req.subnet_id) {
    const subnet = state.visibleSubnet(req.subnet_id);
    if (!subnet) throw subnetNotFound(req.subnet_id);
    checkNewSubnets(interfaces, state.subnet, [subnet]);
    checkInterfaceSubnet(subnet);
    if (!isAdmin(actor) && subnet.project_id !== actor.project_id) {
      throw badRouterRequest(`Cannot add interface to router ${router.id} because the subnet ${subnet.id} is not owned by project making the request`);
    }
    return { kind: 'subnet', subnet };
  }
  const port = state.visiblePort(req.port_id!);
  if (!port) throw portNotFound(req.port_id!);
  checkInterfacePort(port);
  if (!isAdmin(actor) && port.project_id !== actor.project_id) {
    throw badRouterRequest(`Cannot add interface to router ${router.id} because port ${port.id} is not owned by project making the request`);
  }
  checkNewSubnets(interfaces, state.subnet, port.fixed_ips.map((f) => state.subnet(f.subnet_id)!).filter(Boolean));
  return { kind: 'port', port };
}

/** remove_router_interface's decision: the interface port and the subnets it leaves. */
export function planInterfaceRemove(
  req: InterfaceRequest,
  actor: Actor,
  state: RouterState & { visibleSubnet: (id: string) => Subnet | undefined },
): { port: Port; subnetIds: string[]; wholePort: boolean } {
  const router = state.router!;
  checkRouterOwner(router, actor, 'remove_router_interface');
  const interfaces = state.ports.filter((p) => p.device_owner === INTERFACE_OWNER);
  let port: Port;
  let subnetIds: string[];
  if (req.port_id) {
    const found = interfaces.find((p) => p.id === req.port_id);
    if (!found) throw routerInterfaceNotFound(router.id, req.port_id);
    port = found;
    subnetIds = port.fixed_ips.map((f) => f.subnet_id);
  } else {
    const subnet = state.visibleSubnet(req.subnet_id!);
    if (!subnet) throw subnetNotFound(req.subnet_id!);
    const found = interfaces.find((p) => p.fixed_ips.some((f) => f.subnet_id === subnet.id));
    if (!found) throw routerInterfaceNotFoundForSubnet(router.id, subnet.id);
    port = found;
    subnetIds = [subnet.id];
  }
  for (const sid of subnetIds) {
    const subnet = state.subnet(sid)!;
    // Zed's _confirm_router_interface_not_in_use: the ROUTER_INTERFACE BEFORE_DELETE callbacks (neutron-vpnaas's) first
    checkSubnetNotUsedByVpn(sid, state.vpn);
    checkRemoveSubnet(router, subnet);
    if (state.floatingIps.some((f) => f.fixed_ip_address && onSubnet(f.fixed_ip_address, subnet))) throw interfaceInUseByFloatingIp(router.id, sid);
  }
  return { port, subnetIds, wholePort: port.fixed_ips.every((f) => subnetIds.includes(f.subnet_id)) };
}

export const routerDecider: Decider<RouterCommand, RouterState, RouterEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, router: evolveRouter(state.router, event), placement: evolvePlacement(state.placement, event) }),
  initialState: () => ({ router: undefined, networks: { network: () => undefined, subnetsOf: () => [] }, ports: [], subnet: () => undefined, floatingIps: [] }),
};
