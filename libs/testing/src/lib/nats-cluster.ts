import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { planNatsCluster, waitForJetStream } from '@neutrino/process';
import { freePort } from './free-port';
import { NatsServerProcess } from './nats-server';

export interface NatsCluster {
  /** every node's client URL (give them all to a client: it fails over between them) */
  readonly urls: string[];
  readonly nodes: NatsServerProcess[];
  /** The node that leads the stream's Raft group now (its server name n1…nN), from the stream's cluster info. */
  leaderOf(stream: string): Promise<NatsServerProcess>;
  /** Stops every node by PID and removes the stores. */
  stop(): Promise<void>;
}

/**
 * A JetStream cluster of `size` nats-server processes on loopback, each
 * running infra/nats/cluster.conf (the same file a real install uses) with
 * its own ports and store, planned by @neutrino/process's planNatsCluster as
 * `neutrino start --nats-cluster` plans it. Resolves once a meta leader is
 * elected (JetStream answers through any node).
 */
export async function startNatsCluster(size = 3, opts: { readyTimeoutMs?: number } = {}): Promise<NatsCluster> {
  const storeRoot = await mkdtemp(join(tmpdir(), 'neutrino-nats-cluster-'));
  const ports: Array<{ client: number; cluster: number; monitor: number }> = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), cluster: await freePort(), monitor: await freePort() });
  const plan = planNatsCluster({ size, ports, storeRoot });
  const nodes = plan.map((p) => new NatsServerProcess(p.clientPort, p.storeDir, { node: { args: p.args, env: p.env }, readyWhen: 'listening' }));
  const stop = async () => {
    for (const n of nodes) await n.stop().catch(() => undefined);
    await rm(storeRoot, { recursive: true, force: true });
  };
  try {
    await Promise.all(nodes.map((n) => n.spawn()));
    await waitForJetStream(plan.map((p) => p.url), opts.readyTimeoutMs ?? 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    urls: plan.map((p) => p.url),
    nodes,
    async leaderOf(stream: string) {
      const nc = await connect({ servers: plan.map((p) => p.url), timeout: 2000 });
      try {
        const info = await (await nc.jetstreamManager()).streams.info(stream);
        const i = plan.findIndex((p) => p.name === info.cluster?.leader);
        if (i < 0) throw new Error(`stream ${stream} has no leader among ${plan.map((p) => p.name).join(', ')} (${info.cluster?.leader ?? 'none'})`);
        return nodes[i];
      } finally {
        await nc.close();
      }
    },
    stop,
  };
}
