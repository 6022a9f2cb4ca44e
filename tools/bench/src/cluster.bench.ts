import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect } from 'nats';
import { DEFAULT_STREAM } from '@neutrino/events';
import { Suite, heldPorts, loadEntrypoints } from '@neutrino/process';
import { freePortRun } from '@neutrino/testing';
import { Samples, fmt } from './stats';
import { SCALE_QUOTAS } from './scale-quotas';
const entrypoints = loadEntrypoints();

/**
 * The suite on a 3-node JetStream cluster (`neutrino start --nats-cluster 3`'s
 * plan; not a test): CLIENTS clients create ports for SECONDS while, after a
 * third of the run, one nats-server is killed with kill -9 — the stream's
 * leader in the first run, a follower in the second — and the supervisor
 * restarts it. Prints per run: writes answered 2xx and not, the longest gap
 * between two successful writes, whether every 2xx port is there with its
 * address, whether any address was handed out twice, and how long the
 * restarted node took to be a current replica again. The third run kills one of three api-gateways
 * behind HAProxy (`--gateways 3`) instead, and times its return. BENCH_KILL=leader|follower|gateway runs one.
 */
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);

async function main(): Promise<void> {
  console.log(`Neutrino on a 3-node NATS cluster — ${os.cpus().length} cores (${os.cpus()[0]?.model}), Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`${CLIENTS} clients creating ports through HAProxy in front of 3 api-gateways for ${SECONDS} s; after ${Math.round(SECONDS / 3)} s one nats-server (or one gateway) is killed (kill -9) and restarted by the supervisor\n`);
  console.log('| killed | writes 2xx | not 2xx (status: count) | longest gap between 2xx | p99 of 2xx | 2xx ports missing | addresses twice | killed node current again after |');
  console.log('|---|---:|---|---:|---:|---:|---:|---:|');
  for (const which of (process.env.BENCH_KILL ?? 'leader,follower,gateway').split(',') as Victim[]) await oneRun(which);
}

async function freeBase(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const needed = [0, 1, 2].flatMap((i) => [base + i, base + 2000 + i, base + 4000 + i]).map((port) => ({ name: String(port), host: '127.0.0.1', port }));
    if (!(await heldPorts(needed)).length) return base;
  }
}

type Victim = 'leader' | 'follower' | 'gateway';

async function oneRun(which: Victim): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'neutrino-cluster-bench-'));
  const suite = new Suite({
    dataDir, natsUrls: [], natsPort: await freeBase(), natsCluster: 3, apiHost: '127.0.0.1', apiPort: await freePortRun(4), gateways: 3,
    ipamReplicas: 1, entrypoints, env: { NEUTRINO_LOG_LEVEL: 'error', ...SCALE_QUOTAS }, output: () => undefined,
  });
  await suite.start();
  const nodes = suite.clusterNodes();
  const nc = await connect({ servers: nodes.map((n) => n.url) });
  try {
    const api = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`${suite.apiUrl}${url}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: (await res.json().catch(() => null)) as any };
    };
    // ipam may still be replaying when the API first answers
    let created = await api('POST', '/v2.0/networks', { network: { name: 'cluster-bench' } });
    for (let i = 0; i < 60 && created.status === 503; i++) {
      await new Promise((r) => setTimeout(r, 500));
      created = await api('POST', '/v2.0/networks', { network: { name: 'cluster-bench' } });
    }
    if (created.status !== 201) throw new Error(`network create: ${created.status} ${JSON.stringify(created.body)}`);
    const net = created.body.network;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.128.0.0/16', ip_version: 4, enable_dhcp: false } });

    const ok = new Map<string, string>(); // port id → address, of every 2xx answer
    const failed = new Map<string, number>();
    const okAt: number[] = [];
    const latency = new Samples();
    const t0 = performance.now();
    const end = t0 + SECONDS * 1000;
    let killedAt = 0;
    let current = 0;
    const killer = (async () => {
      await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 3));
      if (which === 'gateway') {
        const [, victimUrl] = suite.gatewayUrls;
        process.kill(suite.processes.get('api-gateway2')!.pid!, 'SIGKILL');
        killedAt = performance.now();
        // the supervisor restarts it; when does it answer again (its projection caught up)?
        for (;;) {
          await new Promise((r) => setTimeout(r, 100));
          if (await fetch(`${victimUrl}/`).then((r) => r.ok, () => false)) {
            current = performance.now() - killedAt;
            return;
          }
        }
      }
      const jsm = await nc.jetstreamManager();
      const info = await jsm.streams.info(DEFAULT_STREAM);
      const leader = info.cluster?.leader;
      const victim = which === 'leader' ? leader : info.cluster?.replicas?.[0]?.name;
      const proc = suite.processes.get(`nats-${victim}`)!;
      process.kill(proc.pid!, 'SIGKILL');
      killedAt = performance.now();
      // the supervisor restarts it; when is it a current replica again?
      for (;;) {
        await new Promise((r) => setTimeout(r, 100));
        try {
          const now = await jsm.streams.info(DEFAULT_STREAM);
          const peers = [now.cluster?.leader, ...(now.cluster?.replicas ?? []).filter((r) => r.current && !r.offline).map((r) => r.name)];
          if (peers.includes(victim)) {
            current = performance.now() - killedAt;
            return;
          }
        } catch {
          /* an election: ask again */
        }
      }
    })();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < end) {
          const t = performance.now();
          const r = await api('POST', '/v2.0/ports', { port: { network_id: net.id } }).catch(() => ({ status: 0, body: null }));
          if (r.status === 201) {
            ok.set(r.body.port.id, r.body.port.fixed_ips[0]?.ip_address);
            okAt.push(performance.now());
            latency.add(performance.now() - t);
          } else {
            const key = `${r.status}${r.body?.NeutronError?.type ? ` ${r.body.NeutronError.type}` : ''}`;
            failed.set(key, (failed.get(key) ?? 0) + 1);
            if (process.env.BENCH_VERBOSE) console.error(r.status, JSON.stringify(r.body));
          }
        }
      }),
    );
    await killer;
    okAt.sort((a, b) => a - b);
    let gap = 0;
    for (let i = 1; i < okAt.length; i++) gap = Math.max(gap, okAt[i] - okAt[i - 1]);
    const listed = (await api('GET', `/v2.0/ports?network_id=${net.id}`)).body.ports as Array<{ id: string; fixed_ips: Array<{ ip_address: string }> }>;
    const byId = new Map(listed.map((p) => [p.id, p.fixed_ips[0]?.ip_address]));
    const missing = [...ok].filter(([id, ip]) => byId.get(id) !== ip).length;
    const addresses = listed.map((p) => p.fixed_ips[0]?.ip_address).filter(Boolean);
    const twice = addresses.length - new Set(addresses).size;
    const notOk = [...failed].map(([s, n]) => `${s}: ${n}`).join(', ') || 'none';
    console.log(`| ${which} | ${ok.size} | ${notOk} | ${fmt(gap)} ms | ${fmt(latency.percentile(99))} ms | ${missing} | ${twice} | ${current ? `${fmt(current)} ms` : 'not yet'} |`);
  } finally {
    await nc.close();
    await suite.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
