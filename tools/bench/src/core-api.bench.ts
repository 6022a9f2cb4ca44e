import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Suite, loadEntrypoints } from '@neutrino/process';
import { freePort } from '@neutrino/testing';
import { Samples, cpuMs, fmt, rssMiB, timed } from './stats';
import { SCALE_QUOTAS } from './scale-quotas';
const entrypoints = loadEntrypoints();

/**
 * Core API benchmark (not a test): starts the suite on a fresh data dir, then
 * measures sequential and 8-client creates, filtered lists of 500 ports and
 * the suite's memory. Prints a table; docs/benchmarks.md records the figures.
 */
const SEQ_NETWORKS = Number(process.env.BENCH_SEQ_NETWORKS ?? 50);
const SEQ_PORTS = Number(process.env.BENCH_SEQ_PORTS ?? 500);
const CONC_PORTS = Number(process.env.BENCH_CONC_PORTS ?? 2000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const LISTS = Number(process.env.BENCH_LISTS ?? 50);

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'neutrino-bench-'));
  const suite = new Suite({
    dataDir, natsUrls: [], natsPort: await freePort(), apiHost: '127.0.0.1', apiPort: await freePort(),
    ipamReplicas: Number(process.env.BENCH_IPAM_REPLICAS ?? 1), entrypoints, env: { NEUTRINO_LOG_LEVEL: 'warn', ...SCALE_QUOTAS }, output: () => undefined,
  });
  await suite.start();
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${suite.apiUrl}${url}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as any;
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const rows: Array<[string, Samples, number]> = [];
  try {
    // Sequential: networks, subnets, ports.
    const netS = new Samples();
    const subS = new Samples();
    const nets: string[] = [];
    let t0 = performance.now();
    for (let i = 0; i < SEQ_NETWORKS; i++) nets.push((await timed(netS, () => api('POST', '/v2.0/networks', { network: { name: `n${i}` } }))).network.id);
    rows.push(['network create (sequential)', netS, performance.now() - t0]);
    t0 = performance.now();
    for (let i = 0; i < nets.length; i++) {
      await timed(subS, () => api('POST', '/v2.0/subnets', { subnet: { network_id: nets[i], cidr: `10.${i}.0.0/20`, ip_version: 4 } }));
    }
    rows.push(['subnet create (sequential)', subS, performance.now() - t0]);
    const portS = new Samples();
    t0 = performance.now();
    for (let i = 0; i < SEQ_PORTS; i++) {
      await timed(portS, () => api('POST', '/v2.0/ports', { port: { network_id: nets[0], device_owner: i % 2 ? 'compute:nova' : 'compute:az1' } }));
    }
    rows.push(['port create (sequential)', portS, performance.now() - t0]);

    // 8 concurrent clients creating ports, spread over the networks.
    const concS = new Samples();
    let next = 0;
    const cpuBefore = [...suite.processes.entries()].map(([name, p]) => [name, cpuMs(p.pid)] as const);
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        while (next < CONC_PORTS) {
          next++;
          await timed(concS, () => api('POST', '/v2.0/ports', { port: { network_id: nets[1 + (c % (nets.length - 1))] } }));
        }
      }),
    );
    rows.push([`port create (${CLIENTS} clients)`, concS, performance.now() - t0]);
    // CPU each process spent per create: what bounds the rate, and little distorted by other load.
    const cpuPerCreate = cpuBefore.map(([name, before]) => [name, (cpuMs(suite.processes.get(name)!.pid) - before) / CONC_PORTS] as const);

    // Lists of the 500 ports of one network.
    const listS = new Samples();
    const filtS = new Samples();
    let n = 0;
    for (let i = 0; i < LISTS; i++) {
      n = (await timed(listS, () => api('GET', `/v2.0/ports?network_id=${nets[0]}`))).ports.length;
      await timed(filtS, () => api('GET', `/v2.0/ports?network_id=${nets[0]}&device_owner=compute:nova&fields=id&fields=fixed_ips`));
    }
    if (n !== SEQ_PORTS) throw new Error(`expected ${SEQ_PORTS} ports in the list, got ${n}`);
    rows.push([`list ${n} ports (network filter)`, listS, 0]);
    rows.push([`list ${n / 2} of ${n} ports (2 filters, fields)`, filtS, 0]);

    console.log(`\nNeutrino core API benchmark — ${os.cpus().length} cores (${os.cpus()[0]?.model}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
    console.log('| operation | count | ops/s | p50 ms | p99 ms |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [name, s, wall] of rows) {
      console.log(`| ${name} | ${s.count} | ${wall ? fmt((1000 * s.count) / wall, 0) : '-'} | ${fmt(s.percentile(50))} | ${fmt(s.percentile(99))} |`);
    }
    console.log(`\n| process | CPU ms per port create (${CLIENTS} clients) |\n|---|---:|`);
    for (const [name, ms] of cpuPerCreate) console.log(`| ${name} | ${fmt(ms)} |`);
    console.log(`| **suite total** | ${fmt(cpuPerCreate.reduce((a, [, m]) => a + m, 0))} |`);
    const rss = [...suite.processes.entries()].map(([name, p]) => [name, rssMiB(p.pid)] as const);
    console.log('\n| process | RSS MiB |\n|---|---:|');
    for (const [name, mib] of rss) console.log(`| ${name} | ${fmt(mib, 1)} |`);
    console.log(`| **suite total** | ${fmt(rss.reduce((a, [, m]) => a + m, 0), 1)} |`);
  } finally {
    await suite.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
