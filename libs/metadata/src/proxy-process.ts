import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ManagedProcess } from '@neutrino/dataplane';
import { renderProxyArgs } from './proxy-args';

/** Router namespaces: behind the 169.254.169.254:80 REDIRECT (spec/metadata.md §3). */
export const ROUTER_PROXY_PORT = 9697;
/** DHCP namespaces of isolated networks: no redirect, the proxy takes port 80 itself (§4.2). */
export const DHCP_PROXY_PORT = 80;

export interface MetadataProxyOptions {
  /** The namespace the proxy listens in (relative to the host, as in the desired state), e.g. `qrouter-<id>`. */
  netns: string;
  /** Exactly one of routerId (router path) and networkId (isolated network, DHCP path). */
  routerId?: string;
  networkId?: string;
  /** 9697 in a router namespace, 80 in a DHCP namespace. */
  listenPort: number;
  /** Default 0.0.0.0. */
  bindAddress?: string;
  /** The metadata agent's unix socket on this host (metadataSocketPath()). */
  socketPath: string;
  /** Directory for the pid file (`<stateDir>/metadata-proxy-<id>.pid`). */
  stateDir: string;
  /** The node binary (default: this process's). */
  node?: string;
  /** The compiled proxy program (default: dist/libs/metadata/src/proxy-main.js). */
  script?: string;
}

/** The compiled proxy-main.js: beside this file when running from dist/, else where the build puts it. */
export function defaultProxyScript(): string {
  const here = path.join(__dirname, 'proxy-main.js');
  if (__filename.endsWith('.js') || fs.existsSync(here)) return here;
  return path.resolve(__dirname, '../../../dist/libs/metadata/src/proxy-main.js');
}

/**
 * The ManagedProcess of one namespace metadata proxy (a node program that
 * runs in the foreground; the driver writes its pid file). Same options, same
 * spec: put it in an agent's desired state and the diff starts it once, keeps
 * it across agent restarts and stops it when it is no longer desired.
 */
export function metadataProxyProcess(o: MetadataProxyOptions): ManagedProcess {
  const owner = o.routerId ?? o.networkId;
  if (!owner || (o.routerId && o.networkId)) throw new Error('a metadata proxy serves either one router or one network');
  const id = `metadata-proxy-${owner}`;
  return {
    id,
    netns: o.netns,
    argv: [
      o.node ?? process.execPath,
      o.script ?? defaultProxyScript(),
      ...renderProxyArgs({ socketPath: o.socketPath, routerId: o.routerId, networkId: o.networkId, port: o.listenPort, bindAddress: o.bindAddress ?? '0.0.0.0' }),
    ],
    pidFile: path.join(o.stateDir, `${id}.pid`),
  };
}
