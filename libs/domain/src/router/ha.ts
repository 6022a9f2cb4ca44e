/** HA routers (l3-ha, spec l3.md §3): one HA network per project in 169.254.192.0/18, hidden (tenant ''), one ha- port per hosting agent. */
export const HA_CIDR = '169.254.192.0/18';
export const HA_POOL = { start: '169.254.192.1', end: '169.254.255.254' };
export const haNetworkName = (project: string) => `HA network tenant ${project}`;
export const haSubnetName = (project: string) => `HA subnet tenant ${project}`;
export const haPortName = (project: string) => `HA port tenant ${project}`;
export const HA_OWNER = 'network:router_ha_interface';
