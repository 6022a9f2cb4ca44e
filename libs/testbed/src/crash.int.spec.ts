import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeNeutron } from '../test/fake-neutron';
import { testbedSkipReason } from './fixture';
import { links, listNetns } from './netns';
import { isAlive, type ProcessRef } from './pids';
import { StateDir } from './state';
import { Testbed } from './testbed';

const skip = testbedSkipReason();
if (skip) console.warn(`libs/testbed crash tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;
jest.setTimeout(90_000);

const TEST_DIR = path.join(__dirname, '../test');
const rootLinkNames = async () => (await links(null)).map((l) => l.ifname).sort();

/** Runs test/crash-child.ts until it prints READY; `kill()` SIGKILLs it. */
async function runChild(args: string[]): Promise<{ stateDir: string; prefix: string; kill: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-r', path.join(TEST_DIR, 'ts-register.js'), path.join(TEST_DIR, 'crash-child.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child not ready in 60 s: ${out}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /READY (\S+) (\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve(m[0]);
    });
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`child exited (${code}): ${out}`))));
  });
  const [, stateDir, prefix] = ready.split(' ');
  const kill = async () => {
    child.kill('SIGKILL');
    await exited;
  };
  return { stateDir, prefix, kill };
}

describeRoot('a test bed whose creating process was SIGKILLed', () => {
  let api: FakeNeutron;
  const dirs: string[] = [];

  beforeAll(async () => {
    api = await FakeNeutron.start();
  });

  afterAll(async () => {
    for (const dir of dirs) {
      await new Testbed({ stateDir: dir }).down({ deletePorts: false }).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await api?.stop();
  });

  it('is removed completely by a later down() that reads its state file', async () => {
    const rootBefore = await rootLinkNames();
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'neutrino-testbed-crash-'));
    dirs.push(stateDir);
    const { prefix, kill } = await runChild(['plain', stateDir, api.url, api.network.id]);
    await kill();

    // Everything the dead process made is still there…
    const bed = new Testbed({ stateDir, apiUrl: api.url });
    const before = await bed.status();
    expect(bed.prefix).toBe(prefix);
    expect(before.netns.every((n) => n.present)).toBe(true);
    expect(before.instances.map((i) => [i.name, i.present])).toEqual([['dhcp1', true], ['static1', true]]);
    expect(before.instances.find((i) => i.name === 'dhcp1')?.dhcpClientAlive).toBe(true);
    expect(before.processes.map((p) => [p.label, p.alive]).sort()).toEqual([['agent compute1/rooted', true], ['agent network1/sleeper', true]]);
    expect(api.ports.size).toBe(2);

    // …and a later down() removes all of it.
    const refs = [...before.processes, ...before.instances.map((i) => i.dhcpClient).filter((r): r is ProcessRef => !!r)];
    const report = await bed.down();
    expect(report.netnsRemoved.sort()).toEqual([...before.netns.map((n) => n.name), ...before.instances.map((i) => i.netns)].sort());
    expect((await listNetns()).filter((n) => n.startsWith(prefix))).toEqual([]);
    for (const ref of refs) expect({ ref, alive: isAlive(ref) }).toEqual({ ref, alive: false });
    expect(api.ports.size).toBe(0);
    expect(await rootLinkNames()).toEqual(rootBefore);
    expect(bed.state).toBeNull();
    expect(fs.readdirSync(stateDir)).toEqual([]);
  });

  it('a fixture whose test process was SIGKILLed is cleaned by its watchdog (agents, DHCP clients, namespaces, state dir)', async () => {
    const { stateDir, prefix, kill } = await runChild(['fixture', '-', api.url, api.network.id]);
    dirs.push(stateDir);
    const dir = new StateDir(stateDir);
    const refs = [...(dir.readState()?.processes ?? []), ...dir.instances().map((i) => i.dhcpClient).filter((r): r is ProcessRef => !!r)];
    expect(refs).toHaveLength(3);
    expect(refs.every(isAlive)).toBe(true);
    await kill();
    const deadline = Date.now() + 15_000;
    const clean = async () => (await listNetns()).every((n) => !n.startsWith(prefix)) && refs.every((r) => !isAlive(r)) && !fs.existsSync(stateDir);
    while (!(await clean()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await listNetns()).filter((n) => n.startsWith(prefix))).toEqual([]);
    for (const ref of refs) expect({ ref, alive: isAlive(ref) }).toEqual({ ref, alive: false });
    expect(fs.existsSync(stateDir)).toBe(false);
  });
});
