import type { Command } from 'commander';
import { AGENTS_BUCKET, type AgentHeartbeat } from '@neutrino/agent-kit';
import { intSetting, natsServers, setting } from '@neutrino/config';
import { EventStore } from '@neutrino/events';

const connect = () => EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: 'neutrino-wait' });
const collect = (v: string, all: string[]) => [...all, v];

/**
 * `neutrino wait [--seq N] [--host H]… [--timeout S]`: the convergence barrier (ovn-nbctl --wait=hv).
 * Returns once every alive agent (of the hosts named, or all) reports in its heartbeat that its
 * dataplane has every event up to sequence N (default: the stream's last now). Agents follow the whole
 * log, so every alive agent is concerned by every sequence; one whose reconcile failed holds the
 * barrier until its retry applies.
 */
export function registerWait(program: Command): void {
  program
    .command('wait')
    .description('wait until every alive agent (of --host, or all) has applied the log up to --seq (default: its last sequence now)')
    .option('--seq <n>', 'the stream sequence to wait for')
    .option('--host <host>', 'only the agents of this host (repeatable)', collect, [] as string[])
    .option('--timeout <seconds>', 'give up after this long (exit 1, naming the agents behind)', '60')
    .action(async (o: { seq?: string; host: string[]; timeout: string }) => {
      const store = await connect();
      try {
        const t0 = Date.now();
        const target = o.seq !== undefined ? Number(o.seq) : (await store.streamState()).lastSeq;
        if (!Number.isInteger(target) || target < 0) throw new Error(`--seq must be a sequence number, not ${o.seq}`);
        const downMs = intSetting('agentDownTimeMs');
        const bucket = await store.heartbeats(AGENTS_BUCKET, downMs);
        const deadline = t0 + Number(o.timeout) * 1000;
        for (;;) {
          const now = Date.now();
          const alive = (await bucket.list())
            .filter((e) => now - e.updatedAt.getTime() < downMs)
            .map((e) => e.value as AgentHeartbeat)
            .filter((b) => !o.host.length || o.host.includes(b.host));
          const behind = alive.filter((b) => (b.reconciled_seq ?? 0) < target);
          if (o.host.length && !alive.length) throw new Error(`no alive agent on ${o.host.join(', ')}`);
          if (!behind.length) {
            console.log(`seq ${target}: applied by ${alive.length} agent(s) in ${Date.now() - t0} ms`);
            return;
          }
          if (now > deadline) throw new Error(`timed out at seq ${target}: ${behind.map((b) => `${b.binary}@${b.host} at ${b.reconciled_seq ?? 'unknown'}`).join(', ')}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        await store.close();
      }
    });
}
