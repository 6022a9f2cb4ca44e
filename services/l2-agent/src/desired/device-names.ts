/** Device names of the LinuxBridge mechanism (spec/l2.md §8): prefix + the first 11 characters of the id. */
export const bridgeName = (networkId: string): string => `brq${networkId.slice(0, 11)}`;
export const tapName = (portId: string): string => `tap${portId.slice(0, 11)}`;
export const vxlanName = (vni: number): string => `vxlan-${vni}`;
export const FLOOD_MAC = '00:00:00:00:00:00';
