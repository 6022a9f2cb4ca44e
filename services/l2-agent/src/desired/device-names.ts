/** The all-zero MAC of the VXLAN flood entries (bridge fdb append 00:00:00:00:00:00); the device names are in @neutrino/naming. */
export const FLOOD_MAC = '00:00:00:00:00:00';
