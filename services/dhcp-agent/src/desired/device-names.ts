/** Names of the DHCP agent's devices and namespaces (spec/l2.md §8, ipam-and-dhcp.md §8.3). */
export const tapName = (portId: string): string => `tap${portId.slice(0, 11)}`;
export const nsDeviceName = (portId: string): string => `ns-${portId.slice(0, 11)}`;
/** `qdhcp-<network>`, behind the agent's namespace prefix (test bed hosts share one machine). */
export const dhcpNetns = (networkId: string, prefix = ''): string => `${prefix}qdhcp-${networkId}`;
