import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEntrypoints } from '@neutrino/process';
import { childPids, freePort } from '@neutrino/testing';
import { fmt, rssMiB } from './stats';
const entrypoints = loadEntrypoints();

/**
 * Memory benchmark (not a test): runs `neutrino start` as a user would
 * (without the test bed), creates BENCH_PORTS ports (default 300), then prints
 * the resident set of the supervisor and of every process it runs.
 */
const PORTS = Number(process.env.BENCH_PORTS ?? 300);


const nameOf = (pid: number): string => {
  const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const hosted = argv.findIndex((a) => a.endsWith('controller.js'));
  if (hosted >= 0) return `controller (${argv.slice(hosted + 1).join(', ')})`;
  const main = argv.find((a) => a.endsWith('main.js'));
  return main ? main.split(path.sep).slice(-3)[0] : path.basename(argv[0]) === 'sh' ? 'nats-server watchdog (sh)' : path.basename(argv[0]);
};

const MODES = (process.env.BENCH_MEMORY_MODES ?? 'shared,separate').split(',').filter(Boolean);

async function main(): Promise<void> {
  const totals: Record<string, number> = {};
  for (const mode of MODES) totals[mode] = await measure(mode);
  if (totals.shared && totals.separate) console.log(`\nshared / separate: ${fmt(totals.shared / totals.separate, 2)}`);
}

/** `neutrino start` with NEUTRINO_CONTROLLER=mode; prints the table, returns the total. */
async function measure(mode: string): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'neutrino-bench-mem-'));
  const apiPort = await freePort();
  const env = {
    ...process.env, NEUTRINO_DATA_DIR: dataDir, NEUTRINO_API_PORT: String(apiPort), NEUTRINO_NATS_PORT: String(await freePort()),
    NEUTRINO_METADATA_PORT: String(await freePort()), NEUTRINO_TESTBED: 'off', NEUTRINO_LOG_LEVEL: 'warn', NEUTRINO_CONTROLLER: mode,
  };
  const cli = spawn(process.execPath, [path.join(entrypoints.root, 'tools/cli/bin/neutrino.js'), 'start'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  cli.stderr.on('data', (c) => (stderr += c));
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${apiPort}${url}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as any;
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  try {
    while (!stderr.includes('Neutron API on')) {
      if (cli.exitCode !== null) throw new Error(`neutrino start exited: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'mem' } })).network;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.0.0.0/22', ip_version: 4 } });
    for (let i = 0; i < PORTS; i++) await api('POST', '/v2.0/ports', { port: { network_id: net.id } });
    await api('GET', '/v2.0/ports');
    await new Promise((r) => setTimeout(r, 1000));
    const rows: Array<[string, number]> = [['neutrino start (supervisor)', rssMiB(cli.pid)]];
    for (const pid of childPids(cli.pid!)) rows.push([nameOf(pid), rssMiB(pid)]);
    console.log(`\nAfter ${PORTS} port creates (NEUTRINO_CONTROLLER=${mode}, NEUTRINO_NODE_FLAGS=${process.env.NEUTRINO_NODE_FLAGS ?? '(default)'}):\n\n| process | RSS MiB |\n|---|---:|`);
    for (const [name, mib] of rows) console.log(`| ${name} | ${fmt(mib, 1)} |`);
    const total = rows.reduce((a, [, m]) => a + m, 0);
    console.log(`| **total** | ${fmt(total, 1)} |`);
    return total;
  } finally {
    cli.kill('SIGTERM');
    await new Promise((r) => cli.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
