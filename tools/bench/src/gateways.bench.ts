import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Suite, loadEntrypoints } from '@neutrino/process';
import { freePortRun } from '@neutrino/testing';
import { Samples, fmt } from './stats';
import { SCALE_QUOTAS } from './scale-quotas';
const entrypoints = loadEntrypoints();

/**
 * Several gateways benchmark (not a test): the suite with 1, 2 and 3
 * api-gateways behind one address (HAProxy, `neutrino start --gateways N`),
 * BENCH_GW_CLIENTS clients each updating its own network and reading it back
 * through the front for BENCH_GW_SECONDS; then BENCH_GW_PAIRS write/read pairs
 * with the write through one gateway and the read through the next, counting
 * the reads that did not see their write. Rows with the read fence off show
 * what it costs and what it prevents.
 */
const CLIENTS = Number(process.env.BENCH_GW_CLIENTS ?? 8);
const SECONDS = Number(process.env.BENCH_GW_SECONDS ?? 10);
const PAIRS = Number(process.env.BENCH_GW_PAIRS ?? 1000);
const tenant = { 'X-Project-Id': 'bench-gw', 'X-User-Id': 'user-gw', 'X-Roles': 'member', 'content-type': 'application/json' };

interface Row {
  label: string;
  gateways: number;
  fence: boolean;
  ops: number;
  write: Samples;
  read: Samples;
  stale: number;
}

async function call(base: string, method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${url}`, { method, headers: tenant, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function measure(label: string, gateways: number, fence: boolean): Promise<Row> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'neutrino-bench-gw-'));
  const ports = await freePortRun(gateways + 2);
  const suite = new Suite({
    dataDir, natsUrls: [], natsPort: ports + gateways + 1, apiHost: '127.0.0.1', apiPort: ports, gateways,
    ipamReplicas: 1, entrypoints, env: { NEUTRINO_LOG_LEVEL: 'warn', NEUTRINO_READ_FENCE: String(fence), ...SCALE_QUOTAS }, output: () => undefined,
  });
  await suite.start();
  const row: Row = { label, gateways, fence, ops: 0, write: new Samples(), read: new Samples(), stale: 0 };
  try {
    const front = suite.apiUrl;
    const nets = await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => (await call(front, 'POST', '/v2.0/networks', { network: { name: `gw-${c}` } })).network.id as string));
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(nets.map(async (id) => {
      for (let k = 0; performance.now() < until; k++) {
        let t0 = performance.now();
        const w = await call(front, 'PUT', `/v2.0/networks/${id}`, { network: { name: `n-${k}` } });
        row.write.add(performance.now() - t0);
        t0 = performance.now();
        const r = await call(front, 'GET', `/v2.0/networks/${id}`);
        row.read.add(performance.now() - t0);
        row.ops += 2;
        if (r.network.revision_number < w.network.revision_number) row.stale++;
      }
    }));
    // Cross pairs: written through one gateway, read at once through the next.
    const gw = suite.gatewayUrls;
    const id = nets[0];
    for (let k = 0; k < PAIRS; k++) {
      const w = await call(gw[k % gw.length], 'PUT', `/v2.0/networks/${id}`, { network: { name: `pair-${k}` } });
      const r = await call(gw[(k + 1) % gw.length], 'GET', `/v2.0/networks/${id}`);
      if (r.network.revision_number < w.network.revision_number) row.stale++;
    }
  } finally {
    await suite.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return row;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  rows.push(await measure('1 gateway (no front)', 1, false));
  rows.push(await measure('1 gateway (no front), fence on', 1, true));
  rows.push(await measure('2 gateways behind HAProxy', 2, true));
  rows.push(await measure('3 gateways behind HAProxy', 3, true));
  rows.push(await measure('3 gateways behind HAProxy, fence off', 3, false));
  console.log(`\nseveral gateways: ${CLIENTS} clients × (update own network, read it back) for ${SECONDS} s through the API address; then ${PAIRS} pairs written through one gateway, read through the next (cpus: ${os.cpus().length}, load ${os.loadavg()[0].toFixed(1)})\n`);
  console.log('| configuration | requests/s | write p50 / p99 (ms) | read p50 / p99 (ms) | reads that missed their write |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.label} | ${fmt(r.ops / SECONDS, 0)} | ${fmt(r.write.percentile(50))} / ${fmt(r.write.percentile(99))} | ${fmt(r.read.percentile(50))} / ${fmt(r.read.percentile(99))} | ${r.stale} of ${r.read.count + PAIRS} |`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
