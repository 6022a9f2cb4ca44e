/** What one namespace proxy is told on its command line. Exactly one of routerId / networkId. */
export interface ProxyArgs {
  socketPath: string;
  routerId?: string;
  networkId?: string;
  port: number;
  bindAddress: string;
}

/** The proxy's flags, named as Neutron's neutron-ns-metadata-proxy's (spec/metadata.md §4.3). */
export function renderProxyArgs(a: ProxyArgs): string[] {
  if (!!a.routerId === !!a.networkId) throw new Error('a metadata proxy serves either one router or one network');
  return [
    `--metadata_proxy_socket=${a.socketPath}`,
    a.routerId ? `--router_id=${a.routerId}` : `--network_id=${a.networkId}`,
    `--metadata_port=${a.port}`,
    `--bind_address=${a.bindAddress}`,
  ];
}

export function parseProxyArgs(argv: string[]): ProxyArgs {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const m = /^--([a-z_]+)=(.*)$/.exec(arg);
    if (!m) throw new Error(`unexpected argument ${arg}`);
    flags.set(m[1], m[2]);
  }
  const socketPath = flags.get('metadata_proxy_socket');
  const port = Number(flags.get('metadata_port'));
  if (!socketPath) throw new Error('--metadata_proxy_socket is required');
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error('--metadata_port must be a port number');
  const a: ProxyArgs = { socketPath, port, bindAddress: flags.get('bind_address') || '0.0.0.0' };
  if (flags.get('router_id')) a.routerId = flags.get('router_id');
  if (flags.get('network_id')) a.networkId = flags.get('network_id');
  if (!!a.routerId === !!a.networkId) throw new Error('give exactly one of --router_id and --network_id');
  return a;
}
