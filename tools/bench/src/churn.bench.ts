import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect } from 'nats';
import { EventStore, subjectOf } from '@neutrino/events';
import { Suite, loadEntrypoints } from '@neutrino/process';
import { freePort } from '@neutrino/testing';
import { fmt, rssMiB } from './stats';
import { SCALE_QUOTAS } from './scale-quotas';

/**
 * An hour of churn (a benchmark, not a test; issue 9): the suite as `neutrino
 * start` runs it (nats-server, ipam, api-gateway, metadata service; no test
 * bed) with the operator's retention settings — the defaults unless NEUTRINO_*
 * says otherwise — and BENCH_CHURN_CLIENTS API clients that each create and
 * delete a network, its subnet, a router with a gateway and an interface,
 * ports and a floating IP, round after round, for BENCH_CHURN_MINUTES. Every
 * minute: the log's length, the stream's size (messages, bytes, bytes on
 * disk), the archive's, nats-server's RSS. At the end: each service restarted
 * and timed to ready, and `neutrino audit` for a port made in the first
 * minute (archived by then). docs/benchmarks.md records the figures.
 */
const MINUTES = Number(process.env.BENCH_CHURN_MINUTES ?? 60);
const CLIENTS = Number(process.env.BENCH_CHURN_CLIENTS ?? 8);
const PORTS_PER_ROUND = Number(process.env.BENCH_CHURN_PORTS ?? 4);
/** Pause of each client between two rounds (keeps the rate moderate on a shared machine). */
const PAUSE_MS = Number(process.env.BENCH_CHURN_PAUSE_MS ?? 100);
const SAMPLE_MS = Number(process.env.BENCH_CHURN_SAMPLE_MS ?? 60_000);
const entrypoints = loadEntrypoints();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (bytes: number) => fmt(bytes / 2 ** 20, 1);
const int = (n: number) => n.toLocaleString('en-US');

/** Bytes a directory takes on disk (allocated blocks, as du counts). */
function diskBytes(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        try {
          total += fs.statSync(p).blocks * 512;
        } catch {
          /* removed meanwhile */
        }
      }
    }
  };
  walk(dir);
  return total;
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'neutrino-bench-churn-'));
  const operatorEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('NEUTRINO_LOG_') || k === 'NEUTRINO_SNAPSHOT_INTERVAL_MS'));
  const keep: Array<{ at: number; line: string }> = [];
  let errorLines = 0;
  const firstErrorLines: string[] = [];
  const suite = new Suite({
    dataDir, natsUrls: [], natsPort: await freePort(), apiHost: '127.0.0.1', apiPort: await freePort(), ipamReplicas: 1, entrypoints,
    metadata: { host: '127.0.0.1', port: await freePort() },
    env: { NEUTRINO_LOG_LEVEL: 'info', NEUTRINO_TESTBED: 'off', NEUTRINO_GATEWAY_METRICS_PORT: String(await freePort()), NEUTRINO_IPAM_METRICS_PORT: String(await freePort()), ...SCALE_QUOTAS, ...operatorEnv },
    output: (line) => {
      // Keep only what the figures need: an hour of info lines would fill this process.
      if (/"level":(50|60)/.test(line)) {
        if (errorLines++ < 5) firstErrorLines.push(line.slice(0, 400));
      }
      if (/ready|restored|listening|retention|compact|"level":(40|50|60)/i.test(line)) {
        keep.push({ at: performance.now(), line });
        if (keep.length > 2000) keep.splice(0, 1000);
      }
    },
  });
  const t0Start = performance.now();
  await suite.start();
  console.log(`suite up in ${fmt(performance.now() - t0Start, 0)} ms (data in ${dataDir}); load ${load()}`);
  const store = await EventStore.connect({ servers: suite.natsUrl, name: 'bench-churn' });
  const nc = await connect({ servers: suite.natsUrl, name: 'bench-churn-info' });
  const jsm = await nc.jetstreamManager();
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${suite.apiUrl}${url}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const natsPid = () => suite.processes.get('nats-server')?.pid;
  const streamDir = path.join(dataDir, 'nats', 'jetstream', '$G', 'streams', 'NEUTRINO');
  const archiveBytes = async () => {
    try {
      return (await jsm.streams.info('OBJ_neutrino-archive')).state.bytes;
    } catch {
      return 0;
    }
  };
  let aborted = false;
  try {
    const ext = (await api('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true } })).network.id;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: ext, cidr: '100.64.0.0/16', ip_version: 4 } });

    const until = Date.now() + MINUTES * 60_000;
    const t0 = Date.now();
    const counts = { rounds: 0, requests: 0, errors: 0 };
    const firstErrors: string[] = [];
    let firstPort: { id: string; at: number } | undefined;
    const call = async (method: string, url: string, body?: unknown) => {
      counts.requests++;
      return api(method, url, body);
    };
    // One round: a network with a subnet behind a router (gateway on the external network), ports, a floating IP; all deleted again.
    const round = async (c: number, r: number) => {
      const undo: Array<() => Promise<unknown>> = [];
      try {
        const net = (await call('POST', '/v2.0/networks', { network: { name: `churn-${c}-${r}` } })).network.id;
        undo.unshift(() => call('DELETE', `/v2.0/networks/${net}`));
        const sub = (await call('POST', '/v2.0/subnets', { subnet: { network_id: net, cidr: `10.${c}.0.0/24`, ip_version: 4 } })).subnet.id;
        undo.unshift(() => call('DELETE', `/v2.0/subnets/${sub}`));
        const router = (await call('POST', '/v2.0/routers', { router: { name: `churn-${c}-${r}`, external_gateway_info: { network_id: ext } } })).router.id;
        undo.unshift(() => call('DELETE', `/v2.0/routers/${router}`));
        await call('PUT', `/v2.0/routers/${router}/add_router_interface`, { subnet_id: sub });
        undo.unshift(() => call('PUT', `/v2.0/routers/${router}/remove_router_interface`, { subnet_id: sub }));
        const ports: string[] = [];
        for (let i = 0; i < PORTS_PER_ROUND; i++) {
          const port = (await call('POST', '/v2.0/ports', { port: { network_id: net, name: `churn-${c}-${r}-${i}` } })).port.id;
          if (!firstPort) firstPort = { id: port, at: Date.now() - t0 };
          ports.push(port);
          undo.unshift(() => call('DELETE', `/v2.0/ports/${port}`));
        }
        const fip = (await call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext, port_id: ports[0] } })).floatingip.id;
        undo.unshift(() => call('DELETE', `/v2.0/floatingips/${fip}`));
        await call('PUT', `/v2.0/floatingips/${fip}`, { floatingip: { port_id: ports[1] ?? null } });
        await call('PUT', `/v2.0/ports/${ports[0]}`, { port: { name: `churn-${c}-${r}-renamed` } });
      } finally {
        // Deleted in reverse order even when a step failed, so one error leaves nothing behind.
        for (const u of undo) {
          try {
            await u();
          } catch (err) {
            if (counts.errors++ < 5) firstErrors.push(`${Math.round((Date.now() - t0) / 1000)} s: ${(err as Error).message.slice(0, 300)}`);
          }
        }
      }
    };
    const client = async (c: number) => {
      for (let r = 0; Date.now() < until && !aborted; r++) {
        try {
          await round(c, r);
          counts.rounds++;
        } catch (err) {
          if (counts.errors++ < 5) firstErrors.push(`${Math.round((Date.now() - t0) / 1000)} s: ${(err as Error).message.slice(0, 300)}`);
        }
        await sleep(PAUSE_MS);
      }
    };

    const s = (k: string) => process.env[k] ?? '(default)';
    console.log(`\nchurn: ${MINUTES} min, ${CLIENTS} clients (${PORTS_PER_ROUND} ports a round, ${PAUSE_MS} ms between rounds); NEUTRINO_SNAPSHOT_INTERVAL_MS ${s('NEUTRINO_SNAPSHOT_INTERVAL_MS')}, NEUTRINO_LOG_COMPACT_INTERVAL_MS ${s('NEUTRINO_LOG_COMPACT_INTERVAL_MS')}, NEUTRINO_LOG_KEEP_EVENTS ${s('NEUTRINO_LOG_KEEP_EVENTS')}`);
    console.log('| min | rounds | requests | errors | events (last seq) | archived up to | stream messages | stream MiB | stream dir on disk MiB | archive MiB | nats-server RSS MiB | nats-server CPU s | load 1/5/15 |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    const sample = async () => {
      const st = await store.streamState();
      console.log(
        `| ${fmt((Date.now() - t0) / 60_000, 1)} | ${int(counts.rounds)} | ${int(counts.requests)} | ${counts.errors} | ${int(st.lastSeq)} | ${int(await store.archivedSeq())} | ${int(st.messages)} | ${mib(st.bytes)} | ${mib(diskBytes(streamDir))} | ${mib(await archiveBytes())} | ${fmt(rssMiB(natsPid()), 0)} | ${fmt(cpuSeconds(natsPid()), 0)} | ${load()} |`,
      );
    };
    const sampler = setInterval(() => void sample().catch((err) => console.log(`sample failed: ${err.message}`)), SAMPLE_MS);
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    clearInterval(sampler);
    await sample();
    console.log(`\n${int(counts.rounds)} rounds (${int(counts.requests)} requests, ${counts.errors} errors); ${errorLines} error lines in the services' logs`);
    for (const e of firstErrors) console.log(`  request error at ${e}`);
    for (const e of firstErrorLines) console.log(`  log: ${e}`);
    const left = (await api('GET', '/v2.0/ports')).ports.filter((p: { name: string }) => p.name.startsWith('churn-')).length;
    const routersLeft = (await api('GET', '/v2.0/routers')).routers.length;
    console.log(`left behind: ${left} churn ports, ${routersLeft} routers`);
    for (const snap of await store.listSnapshots()) console.log(`  snapshot ${snap.name} at seq ${int(snap.seq)}`);

    // Restarts: each service stopped, started and timed until it is ready (churn stopped; the log as the hour left it).
    const restart = async (name: string, ready: () => Promise<void>) => {
      const p = suite.processes.get(name)!;
      console.log(`restarting ${name}…`);
      await p.stop();
      keep.length = 0;
      const from = performance.now();
      p.start();
      const timeout = sleep(120_000).then(() => {
        throw new Error(`${name} not ready 120 s after its start; last lines: ${keep.slice(-5).map((l) => l.line.slice(0, 200)).join(' / ')}`);
      });
      await Promise.race([ready(), timeout]);
      return { ms: performance.now() - from, cpu: cpuSeconds(p.pid) };
    };
    const logged = async (msg: string) => {
      for (;;) {
        const hit = keep.find((l) => l.line.includes(msg));
        if (hit) return hit;
        await sleep(5);
      }
    };
    const detail = (msg: string, key: string) => new RegExp(`"${key}":(\\d+)`).exec(keep.find((l) => l.line.includes(msg))?.line ?? '')?.[1] ?? '?';
    const st = await store.streamState();
    const rows: Array<[string, { ms: number; cpu: number }, string]> = [];
    const ipam = await restart('ipam-1', async () => void (await logged('ipam ready')));
    rows.push(['ipam-1 (process start → "ipam ready")', ipam, `ledgers: ${detail('ledgers restored', 'replayed')} events replayed in ${detail('ledgers restored', 'ms')} ms; ports/networks: ${detail('ports and networks restored', 'replayed')} in ${detail('ports and networks restored', 'ms')} ms`]);
    rows.push(['api-gateway, own database (start → API answers)', await restart('api-gateway', () => suite.waitForApi(60_000)), 'from its checkpoint']);
    rows.push(['metadata-service (start → answers)', await restart('metadata-service', () => suite.waitForMetadata(60_000)), '']);
    console.log(`\nrestarts at ${int(st.lastSeq)} events in the log (${int(st.messages)} in the stream); load ${load()}`);
    console.log('| service | ms to ready | CPU s of the process at ready | note |\n|---|---:|---:|---|');
    for (const [name, r, note] of rows) console.log(`| ${name} | ${fmt(r.ms, 0)} | ${fmt(r.cpu, 2)} | ${note} |`);

    // `neutrino audit` for a port made in the first minute: its events are in the archive by now.
    const archived = await store.archivedSeq();
    if (firstPort) {
      const t = performance.now();
      const out = await new Promise<string>((resolve, reject) => {
        const cli = spawn(process.execPath, [path.join(entrypoints.root, 'tools/cli/bin/neutrino.js'), 'audit', '--resource', firstPort!.id, '--json'], { env: { ...process.env, NEUTRINO_NATS_URL: suite.natsUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        cli.stdout.on('data', (d) => (stdout += d));
        cli.stderr.on('data', (d) => (stderr += d));
        cli.once('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`neutrino audit exited ${code}: ${stderr}`))));
      });
      const ms = performance.now() - t;
      const events = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { seq: number; type: string });
      const inArchive = events.filter((e) => e.seq <= archived).length;
      console.log(`\nneutrino audit --resource ${firstPort.id} (a port created at ${fmt(firstPort.at / 1000, 1)} s): ${events.length} events in ${fmt(ms, 0)} ms, ${inArchive} of them at or below the archived seq ${int(archived)}; load ${load()}`);
      for (const e of events) console.log(`  seq ${int(e.seq)} ${e.type}`);
      // The retention rule keeps each live subject's last message, so the stream's first seq says
      // nothing about one port: ask whether the port's subject still has a message in the stream.
      const subjectInStream = await store.subjectLastSeq(subjectOf({ type: 'port', id: firstPort.id }));
      console.log(`  (${subjectInStream === 0 ? 'the port\'s subject has no message left in the stream: every one of these events was read from the archive' : `the port's subject still ends at seq ${int(subjectInStream)} in the stream`})`);
    }
    console.log(`\nnats-server RSS at the end: ${fmt(rssMiB(natsPid()), 0)} MiB; data dir on disk ${mib(diskBytes(dataDir))} MiB`);
  } finally {
    aborted = true;
    await nc.close();
    await store.close();
    await suite.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
