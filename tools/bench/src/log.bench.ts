import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { EventStore } from '@neutrino/events';
import { Suite, loadEntrypoints } from '@neutrino/process';
import { freePort } from '@neutrino/testing';
import { fmt, rssMiB } from './stats';
import { SCALE_QUOTAS } from './scale-quotas';

/**
 * The log's working set (a benchmark, not a test): create/delete churn through
 * the API for --duration seconds with snapshots and the retention rule on,
 * then the services' start time and the stream's size. Prints figures;
 * docs/benchmarks.md records them.
 */
const opts = new Command('bench:log')
  .option('--duration <s>', 'seconds of churn', '180')
  .option('--clients <n>', 'concurrent API clients', '8')
  .option('--snapshot-ms <ms>', 'NEUTRINO_SNAPSHOT_INTERVAL_MS of the services', '10000')
  .option('--compact-ms <ms>', 'NEUTRINO_LOG_COMPACT_INTERVAL_MS of ipam', '20000')
  .option('--keep <n>', 'NEUTRINO_LOG_KEEP_EVENTS', '10000')
  .parse(process.argv)
  .opts<{ duration: string; clients: string; snapshotMs: string; compactMs: string; keep: string }>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (bytes: number) => fmt(bytes / 2 ** 20, 1);

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'neutrino-bench-log-'));
  const lines: Array<{ at: number; line: string }> = [];
  const suite = new Suite({
    dataDir, natsUrls: [], natsPort: await freePort(), apiHost: '127.0.0.1', apiPort: await freePort(), ipamReplicas: 1, entrypoints: loadEntrypoints(),
    env: {
      NEUTRINO_LOG_LEVEL: 'info',
      NEUTRINO_SNAPSHOT_INTERVAL_MS: opts.snapshotMs,
      NEUTRINO_LOG_COMPACT_INTERVAL_MS: opts.compactMs,
      NEUTRINO_LOG_KEEP_EVENTS: opts.keep,
      ...SCALE_QUOTAS,
    },
    output: (line) => {
      lines.push({ at: performance.now(), line });
      if (process.env.BENCH_LOG_ERRORS && /"level":(50|60)/.test(line)) fs.appendFileSync(process.env.BENCH_LOG_ERRORS, line + '\n');
    },
  });
  await suite.start();
  const store = await EventStore.connect({ servers: suite.natsUrl, name: 'bench-log' });
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${suite.apiUrl}${url}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const natsRss = () => rssMiB(suite.processes.get('nats-server')?.pid);
  try {
    // Restarts one service and times it until it is ready.
    const restart = async (name: string, ready: () => Promise<void>, before?: () => void) => {
      const p = suite.processes.get(name)!;
      await p.stop();
      before?.();
      const from = performance.now();
      lines.length = 0;
      p.start();
      await ready();
      return performance.now() - from;
    };
    const logged = async (msg: string) => {
      for (;;) {
        const hit = lines.find((l) => l.line.includes(msg));
        if (hit) return hit;
        await sleep(5);
      }
    };
    const ipamReady = async () => void (await logged('ipam ready'));
    const ipamDetail = () => {
      const f = (msg: string, key: string) => new RegExp(`"${key}":(\\d+)`).exec(lines.find((l) => l.line.includes(msg))?.line ?? '')?.[1] ?? '?';
      return `ledgers: ${f('ledgers restored', 'replayed')} events replayed in ${f('ledgers restored', 'ms')} ms; ports/networks: ${f('ports and networks restored', 'replayed')} in ${f('ports and networks restored', 'ms')} ms`;
    };
    const baseline = await restart('ipam-1', ipamReady);
    const baselineDetail = ipamDetail();
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'churn' } })).network.id;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: net, cidr: '10.128.0.0/16', ip_version: 4 } });

    // Churn: every client creates a port and deletes it; one in 50 rounds also a network with a subnet.
    const until = Date.now() + Number(opts.duration) * 1000;
    let ports = 0;
    let networks = 0;
    let errors = 0;
    const firstErrors: string[] = [];
    const client = async (c: number) => {
      for (let round = 0; Date.now() < until; round++) {
        try {
          const p = (await api('POST', '/v2.0/ports', { port: { network_id: net, name: `c${c}` } })).port.id;
          await api('DELETE', `/v2.0/ports/${p}`);
          ports++;
          if (round % 50 === 49) {
            const n = (await api('POST', '/v2.0/networks', { network: { name: `n${c}` } })).network.id;
            await api('POST', '/v2.0/subnets', { subnet: { network_id: n, cidr: '192.168.0.0/24', ip_version: 4 } });
            await api('DELETE', `/v2.0/networks/${n}`);
            networks++;
          }
        } catch (err) {
          if (errors++ < 5) firstErrors.push(`${Math.round((Date.now() - t0) / 1000)} s: ${(err as Error).message.slice(0, 300)}`);
        }
      }
    };
    console.log(`\nchurn: ${opts.duration} s, ${opts.clients} clients; snapshots every ${opts.snapshotMs} ms, retention every ${opts.compactMs} ms (keep ${opts.keep})`);
    console.log('| t s | events (last seq) | stream messages | stream MiB | archived up to | nats-server RSS MiB |\n|---:|---:|---:|---:|---:|---:|');
    const t0 = Date.now();
    const sample = async () => {
      const s = await store.streamState();
      console.log(`| ${Math.round((Date.now() - t0) / 1000)} | ${s.lastSeq} | ${s.messages} | ${mib(s.bytes)} | ${await store.archivedSeq()} | ${fmt(natsRss(), 0)} |`);
    };
    const sampler = setInterval(() => void sample().catch(() => undefined), Math.max(10_000, Number(opts.duration) * 100));
    await Promise.all(Array.from({ length: Number(opts.clients) }, (_, c) => client(c)));
    clearInterval(sampler);
    await sample();
    console.log(`\n${ports} ports and ${networks} networks created and deleted (${errors} errors)`);
    for (const e of firstErrors) console.log(`  error at ${e}`);

    // Let the snapshots catch up, then apply the retention rule once more (as ipam would).
    await sleep(Number(opts.snapshotMs) + 2_000);
    let t = performance.now();
    const report = await store.compact({ keepEvents: Number(opts.keep) });
    console.log(`retention run: archived ${report.archived} events, trimmed ${report.purged} messages of ${report.subjects} subjects in ${fmt(performance.now() - t, 0)} ms${report.skipped ? ` (${report.skipped})` : ''}`);
    const state = await store.streamState();
    console.log(`after: ${state.lastSeq} events in the log, ${state.messages} messages (${mib(state.bytes)} MiB) in the stream, archived up to ${await store.archivedSeq()}`);
    for (const s of await store.listSnapshots()) console.log(`  snapshot ${s.name} at seq ${s.seq}`);

    const rows: Array<[string, number, string]> = [];
    rows.push(['baseline: ipam on an empty log (process start → ready)', baseline, baselineDetail]);
    const ipamMs = await restart('ipam-1', ipamReady);
    rows.push(['ipam after the churn (process start → ready)', ipamMs, ipamDetail()]);
    rows.push(['api-gateway, own database (start → API answers)', await restart('api-gateway', () => suite.waitForApi(60_000)), 'from its checkpoint']);
    const dropDb = () => {
      for (const f of ['api-gateway.sqlite', 'api-gateway.sqlite-wal', 'api-gateway.sqlite-shm']) fs.rmSync(path.join(dataDir, f), { force: true });
    };
    rows.push(['api-gateway, empty database (start → API answers)', await restart('api-gateway', () => suite.waitForApi(60_000), dropDb), 'from its snapshot + tail']);
    t = performance.now();
    let n = 0;
    await store.replay({ fromSeq: 1 }, () => void n++);
    rows.push(['for comparison: a replay of the whole history (archive + stream), no service', performance.now() - t, `${n} events`]);
    console.log('\n| start | ms | note |\n|---|---:|---|');
    for (const [name, ms, note] of rows) console.log(`| ${name} | ${fmt(ms, 0)} | ${note} |`);
    console.log(`\nnats-server RSS at the end: ${fmt(natsRss(), 0)} MiB`);
  } finally {
    await store.close();
    await suite.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
