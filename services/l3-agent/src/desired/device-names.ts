/** Names of the l3-agent's devices and namespaces (spec/l2.md §8, l3.md §2.1, §3.2). */
export const tapName = (portId: string): string => `tap${portId.slice(0, 11)}`;
export const qrName = (portId: string): string => `qr-${portId.slice(0, 11)}`;
export const qgName = (portId: string): string => `qg-${portId.slice(0, 11)}`;
export const haName = (portId: string): string => `ha-${portId.slice(0, 11)}`;
/** `qrouter-<router>`, behind the agent's namespace prefix (test bed hosts share one machine). */
export const routerNetns = (routerId: string, prefix = ''): string => `${prefix}qrouter-${routerId}`;
