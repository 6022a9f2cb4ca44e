export * from './model';
export { vpnErrors } from './errors';
export { VPN_ATTRS, parseVpn } from './attributes';
export { vpnDecider, evolveVpnProject, canSeeVpn, DEFAULT_DPD, DEFAULT_LIFETIME } from './decider';
export type { VpnCommand, VpnEvent, VpnState, VpnRouterFacts, VpnSubnetFacts } from './decider';
export { presentVpn, presentIkePolicy, presentIpsecPolicy, presentVpnService, presentConnection, presentEndpointGroup } from './present';
