import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Suite, loadEntrypoints } from '@neutrino/process';
import { freePort } from '@neutrino/testing';
import { Samples, fmt, timed } from './stats';
import { SCALE_QUOTAS } from './scale-quotas';
const entrypoints = loadEntrypoints();

/**
 * Fair reads benchmark (not a test): a table of BENCH_READ_PORTS ports
 * (20,000), then (1) a walk through all of them with `limit=100` following
 * the `next` links, the time of each page at the start and at the end of the
 * walk; (2) another tenant's port show and port create, alone and while
 * four clients loop on the full port list. Prints tables; docs/benchmarks.md
 * records the figures.
 */
const PORTS = Number(process.env.BENCH_READ_PORTS ?? 20_000);
const PAGE = Number(process.env.BENCH_READ_PAGE ?? 100);
const LISTERS = Number(process.env.BENCH_READ_LISTERS ?? 4);
const SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 20);
/** The worker that loops on full lists: `clients` loops until told to stop, then posts every list's time. */
const LISTER = `
const { parentPort, workerData: { url, clients, min } } = require('node:worker_threads');
let stop = false;
parentPort.on('message', () => { stop = true; });
const ms = [];
Promise.all(Array.from({ length: clients }, async () => {
  while (!stop) {
    const t0 = performance.now();
    const body = await (await fetch(url)).json();
    ms.push(performance.now() - t0);
    if (body.ports.length < min) throw new Error('a full list had ' + body.ports.length + ' ports');
  }
})).then(() => parentPort.postMessage({ ms }), (err) => parentPort.postMessage({ error: String(err) }));
`;
const bob = { 'X-Project-Id': 'bench-bob', 'X-User-Id': 'user-bob', 'X-Roles': 'member' };

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'neutrino-bench-'));
  const suite = new Suite({
    dataDir, natsUrls: [], natsPort: await freePort(), apiHost: '127.0.0.1', apiPort: await freePort(),
    ipamReplicas: 1, entrypoints, env: { NEUTRINO_LOG_LEVEL: 'warn', ...SCALE_QUOTAS }, output: () => undefined,
  });
  await suite.start();
  const api = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url.startsWith('http') ? url : `${suite.apiUrl}${url}`, {
      method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  try {
    // The table: PORTS admin ports on networks of 500 (bulk creates of 50, 8 clients).
    const nets: string[] = [];
    for (let i = 0; i < Math.ceil(PORTS / 500); i++) {
      nets.push((await api('POST', '/v2.0/networks', { network: { name: `bench-reads-${i}` } })).network.id);
      await api('POST', '/v2.0/subnets', { subnet: { network_id: nets[i], cidr: `10.${100 + (i >> 2)}.${(i % 4) * 64}.0/22`, ip_version: 4 } });
    }
    let made = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (made < PORTS) {
        const n = Math.min(50, PORTS - made);
        const net = nets[Math.floor(made / 500)];
        made += n;
        await api('POST', '/v2.0/ports', { ports: Array.from({ length: n }, () => ({ network_id: net })) });
      }
    }));
    console.log(`\n${PORTS} ports made in ${fmt((performance.now() - t0) / 1000, 1)} s`);
    // Bob's network and port, the other tenant.
    const bobNet = (await api('POST', '/v2.0/networks', { network: { name: 'bob' } }, bob)).network.id;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: bobNet, cidr: '10.97.0.0/20', ip_version: 4 } }, bob);
    const bobPort = (await api('POST', '/v2.0/ports', { port: { network_id: bobNet } }, bob)).port.id;

    // (1) The walk.
    const pageMs: number[] = [];
    let url: string | undefined = `/v2.0/ports?limit=${PAGE}`;
    let seen = 0;
    const w0 = performance.now();
    while (url) {
      const p0 = performance.now();
      const body: any = await api('GET', url);
      pageMs.push(performance.now() - p0);
      seen += body.ports.length;
      url = body.ports_links?.find((l: { rel: string }) => l.rel === 'next')?.href;
    }
    const walk = performance.now() - w0;
    if (seen < PORTS) throw new Error(`the walk saw ${seen} of ${PORTS} ports`);
    const part = (from: number, to: number) => {
      const s = new Samples();
      for (const ms of pageMs.slice(from, to)) s.add(ms);
      return s;
    };
    const tenth = Math.max(1, Math.floor(pageMs.length / 10));
    console.log(`\nWalk of ${seen} ports, limit=${PAGE}: ${pageMs.length} pages in ${fmt(walk / 1000, 2)} s`);
    console.log('| pages | p50 ms | p99 ms |\n|---|---:|---:|');
    for (const [name, s] of [[`first ${tenth}`, part(0, tenth)], [`last ${tenth}`, part(pageMs.length - tenth, pageMs.length)], ['all', part(0, pageMs.length)]] as const) {
      console.log(`| ${name} | ${fmt(s.percentile(50))} | ${fmt(s.percentile(99))} |`);
    }

    // (2) Bob's show and create, alone and under LISTERS clients looping on full lists.
    const bobLoop = async (until: () => boolean) => {
      const show = new Samples();
      const create = new Samples();
      while (!until()) {
        await timed(show, () => api('GET', `/v2.0/ports/${bobPort}`, undefined, bob));
        if (show.count % 5 === 0) {
          const p = await timed(create, () => api('POST', '/v2.0/ports', { port: { network_id: bobNet } }, bob));
          await api('DELETE', `/v2.0/ports/${p.port.id}`, undefined, bob);
        }
      }
      return { show, create };
    };
    const quietEnd = performance.now() + 5000;
    const quiet = await bobLoop(() => performance.now() > quietEnd);
    // The listers run in a worker thread: parsing 4 lists of 20,000 ports on this thread would stall Bob's own clock.
    const listers = new Worker(LISTER, { eval: true, workerData: { url: `${suite.apiUrl}/v2.0/ports`, clients: LISTERS, min: PORTS } });
    const full = new Samples();
    const listed = new Promise<void>((resolve, reject) => {
      listers.on('message', (m: { ms?: number[]; error?: string }) => (m.error ? reject(new Error(m.error)) : (m.ms!.forEach((ms) => full.add(ms)), resolve())));
      listers.on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 1000)); // every lister has a list in flight
    const busyEnd = performance.now() + SECONDS * 1000;
    const busy = await bobLoop(() => performance.now() > busyEnd);
    listers.postMessage('stop');
    await listed;
    await listers.terminate();
    console.log(`\nAnother tenant's port show and create, alone and while ${LISTERS} clients loop on the full list (${SECONDS} s)`);
    console.log('| measurement | count | p50 ms | p99 ms |\n|---|---:|---:|---:|');
    const row = (name: string, s: Samples) => console.log(`| ${name} | ${s.count} | ${fmt(s.percentile(50))} | ${fmt(s.percentile(99))} |`);
    row('port show, quiet', quiet.show);
    row('port create, quiet', quiet.create);
    row(`port show, ${LISTERS} full lists looping`, busy.show);
    row(`port create, ${LISTERS} full lists looping`, busy.create);
    row(`full list of ${PORTS} ports (each lister)`, full);
  } finally {
    await suite.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
