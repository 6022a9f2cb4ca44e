/** The L3 exceptions of Zed's router API (neutron_lib/exceptions/l3.py, extraroute, l3_db), message for message. */
import { neutronError } from '../common/errors';
import { badRequest } from '../errors';
import type { HostRoute } from '../model';

export const routerNotFound = (id: string) => neutronError(404, 'RouterNotFound', `Router ${id} could not be found`);
export const badRouterRequest = (msg: string) => badRequest('router', msg);
export const routerInUse = (id: string, portIds: string[]) =>
  neutronError(409, 'RouterInUse', `Router ${id} has ports still attached: ${portIds.join(', ')}`);
export const notExternalNetwork = (networkId: string) => badRouterRequest(`Network ${networkId} is not an external network`);
export const routerInterfaceNotFound = (routerId: string, portId: string) =>
  neutronError(404, 'RouterInterfaceNotFound', `Router ${routerId} does not have an interface with id ${portId}`);
export const routerInterfaceNotFoundForSubnet = (routerId: string, subnetId: string) =>
  neutronError(404, 'RouterInterfaceNotFoundForSubnet', `Router ${routerId} has no interface on subnet ${subnetId}`);
export const interfaceInUseByRoute = (routerId: string, subnetId: string) =>
  neutronError(
    409,
    'RouterInterfaceInUseByRoute',
    `Router interface for subnet ${subnetId} on router ${routerId} cannot be deleted, as it is required by one or more routes.`,
  );
export const interfaceInUseByFloatingIp = (routerId: string, subnetId: string) =>
  neutronError(
    409,
    'RouterInterfaceInUseByFloatingIP',
    `Router interface for subnet ${subnetId} on router ${routerId} cannot be deleted, as it is required by one or more floating IPs.`,
  );
export const gatewayInUseByFloatingIp = (routerId: string, networkId: string) =>
  neutronError(
    409,
    'RouterExternalGatewayInUseByFloatingIp',
    `Gateway cannot be updated for router ${routerId}, since a gateway to external network ${networkId} is required by one or more floating IPs.`,
  );
const routesRepr = (routes: HostRoute[]) =>
  `[${routes.map((r) => `{'destination': '${r.destination}', 'nexthop': '${r.nexthop}'}`).join(', ')}]`;
export const invalidRoutes = (routes: HostRoute[], error: string) =>
  neutronError(400, 'InvalidRoutes', `Invalid format for routes: ${routesRepr(routes)}, ${error}`);
export const routesExhausted = (routerId: string, quota: number) =>
  neutronError(400, 'RoutesExhausted', `Unable to complete operation for ${routerId}. The number of routes exceeds the maximum ${quota}.`);
/** prevent_l3_port_deletion: router and floating IP ports go with their router / floating IP. */
export const servicePortInUse = (portId: string, deviceOwner: string) =>
  neutronError(409, 'ServicePortInUse', `Port ${portId} cannot be deleted directly via the port API: has device owner ${deviceOwner}.`);
/** Neutrino runs no DVR agents, so it refuses distributed routers rather than pretend. */
export const distributedNotSupported = () => badRouterRequest('Distributed routers are not supported by Neutrino');
export const distributedChangeRefused = () =>
  badRouterRequest("Cannot change the 'distributed' attribute of active routers. Please set router admin_state_up to False prior to upgrade");

/** l3_agent_scheduler (neutron/extensions/l3agentscheduler.py): a legacy router runs on one agent. */
export const routerHostedByL3Agent = (routerId: string, agentId: string) =>
  neutronError(409, 'RouterHostedByL3Agent', `The router ${routerId} has been already hosted by the L3 Agent ${agentId}.`);
/** an agent that is not an L3 agent, or is disabled (a 404: Zed's InvalidL3Agent is an AgentNotFound) */
export const invalidL3Agent = (agentId: string) => neutronError(404, 'InvalidL3Agent', `Agent ${agentId} is not a L3 Agent or has been disabled`);
/** no alive, enabled l3-agent to move a router of a dead one to */
export const routerReschedulingFailed = (routerId: string) =>
  neutronError(409, 'RouterReschedulingFailed', `Failed rescheduling router ${routerId}: no eligible l3 agent found.`);
