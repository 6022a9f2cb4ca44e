import * as path from 'node:path';
import { workspaceRoot } from './entrypoints';

/** The one node config every member of a cluster runs (infra/nats/cluster.conf); the environment makes each node itself. */
export const natsClusterConfig = (): string => path.join(workspaceRoot(), 'infra/nats/cluster.conf');

export interface NatsNodePlan {
  name: string;
  clientPort: number;
  clusterPort: number;
  monitorPort: number;
  storeDir: string;
  /** nats://127.0.0.1:<clientPort> */
  url: string;
  /** nats-server's arguments and the environment that fills infra/nats/cluster.conf for this node */
  args: string[];
  env: Record<string, string>;
}

export interface NatsClusterOptions {
  /** number of nodes (3 is the smallest cluster that survives the loss of one) */
  size: number;
  /** per node: client, route and monitoring ports */
  ports: Array<{ client: number; cluster: number; monitor: number }>;
  /** each node's store is <storeRoot>/<name> */
  storeRoot: string;
  host?: string;
}

/**
 * A JetStream cluster on one machine, as data: node names n1…nN, ports, store
 * dirs, and the command line and environment of each node's nats-server
 * (`-c infra/nats/cluster.conf`, routes to every node).
 */
export function planNatsCluster(opts: NatsClusterOptions): NatsNodePlan[] {
  if (opts.size < 1 || opts.ports.length < opts.size) throw new Error(`a cluster of ${opts.size} needs ${opts.size} port triples`);
  const host = opts.host ?? '127.0.0.1';
  const routes = JSON.stringify(opts.ports.slice(0, opts.size).map((p) => `nats://${host}:${p.cluster}`));
  return opts.ports.slice(0, opts.size).map((p, i) => {
    const name = `n${i + 1}`;
    const storeDir = path.join(opts.storeRoot, name);
    return {
      name,
      clientPort: p.client,
      clusterPort: p.cluster,
      monitorPort: p.monitor,
      storeDir,
      url: `nats://${host}:${p.client}`,
      args: ['-c', natsClusterConfig()],
      env: {
        NEUTRINO_NATS_NAME: name,
        NEUTRINO_NATS_HOST: host,
        NEUTRINO_NATS_CLIENT_PORT: String(p.client),
        NEUTRINO_NATS_CLUSTER_PORT: String(p.cluster),
        NEUTRINO_NATS_MONITOR_PORT: String(p.monitor),
        NEUTRINO_NATS_STORE_DIR: storeDir,
        NEUTRINO_NATS_ROUTES: routes,
      },
    };
  });
}
