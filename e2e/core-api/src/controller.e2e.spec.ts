import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { childPids, freePort } from '@neutrino/testing';

const CLI = path.resolve(__dirname, '../../../tools/cli/bin/neutrino.js');

const argvOf = (pid: number): string[] => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Issue 8 (the suite's memory): `neutrino start` runs ipam, the api-gateway and
 * the metadata service in one controller process by default; each works, a
 * crash of the controller is restarted, and Ctrl-C stops everything.
 */
describe('neutrino start with the shared controller process', () => {
  let cli: ChildProcess;
  let stderr = '';
  let apiPort: number;
  let metadataPort: number;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'neutrino-controller-'));
  let pids: number[] = [];

  beforeAll(async () => {
    apiPort = await freePort();
    metadataPort = await freePort();
    const env = {
      ...process.env, NEUTRINO_DATA_DIR: dataDir, NEUTRINO_API_PORT: String(apiPort), NEUTRINO_NATS_PORT: String(await freePort()),
      NEUTRINO_METADATA_PORT: String(metadataPort), NEUTRINO_TESTBED: 'off', NEUTRINO_LOG_LEVEL: 'warn', NEUTRINO_CONTROLLER: 'shared',
    };
    cli = spawn(process.execPath, [CLI, 'start'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    cli.stderr!.on('data', (c) => (stderr += c));
    const deadline = Date.now() + 60_000;
    while (!stderr.includes('Neutron API on')) {
      if (cli.exitCode !== null || Date.now() > deadline) throw new Error(`neutrino start did not come up: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    pids = childPids(cli.pid!);
  });

  afterAll(async () => {
    if (cli.exitCode === null) {
      cli.kill('SIGTERM');
      await new Promise((r) => cli.once('exit', r));
    }
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${apiPort}${url}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };

  const controllerPid = (): number | undefined => childPids(cli.pid!).find((pid) => argvOf(pid).some((a) => a.endsWith('controller.js')));

  it('hosts ipam, the api-gateway and the metadata service in one process', async () => {
    const node = childPids(cli.pid!).filter((pid) => argvOf(pid)[0] === process.execPath);
    expect(node).toHaveLength(1);
    expect(argvOf(node[0]).slice(-3)).toEqual(['ipam', 'api-gateway', 'metadata-service']);
    // the gateway works with ipam (a port gets an address) ...
    const net = await api('POST', '/v2.0/networks', { network: { name: 'shared' } });
    expect(net.status).toBe(201);
    expect((await api('POST', '/v2.0/subnets', { subnet: { network_id: net.body.network.id, cidr: '10.77.0.0/24', ip_version: 4 } })).status).toBe(201);
    const port = await api('POST', '/v2.0/ports', { port: { network_id: net.body.network.id } });
    expect(port.status).toBe(201);
    expect(port.body.port.fixed_ips[0].ip_address).toMatch(/^10\.77\.0\./);
    // ... and the metadata service answers (a request without an instance id is refused)
    const md = await fetch(`http://127.0.0.1:${metadataPort}/`);
    expect(md.status).toBe(400);
  });

  it('restarts the controller after a crash, with its state', async () => {
    const before = controllerPid()!;
    process.kill(before, 'SIGKILL');
    const deadline = Date.now() + 60_000;
    let ports: { status: number; body: any } | undefined;
    while (Date.now() < deadline) {
      const now = controllerPid();
      if (now && now !== before) {
        ports = await api('GET', '/v2.0/ports').catch(() => undefined);
        if (ports?.status === 200) break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(ports?.status).toBe(200);
    expect(ports!.body.ports).toHaveLength(1);
    pids = childPids(cli.pid!);
  });

  it('stops every process on Ctrl-C', async () => {
    const children = childPids(cli.pid!);
    expect(children.length).toBeGreaterThanOrEqual(2);
    cli.kill('SIGINT');
    const code = await new Promise((r) => cli.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    // the nats-server watchdog (sh) checks once a second: allow it that long
    for (let i = 0; i < 30 && children.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    const left = children.filter(alive).map((pid) => `${pid} ${argvOf(pid).join(' ')}`);
    expect(left).toEqual([]);
  });
});
