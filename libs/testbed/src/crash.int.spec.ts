import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeNeutron } from '../test/fake-neutron';
import { testbedSkipReason } from './fixture';
import { links, listNetns } from './netns';
import { isAlive } from './pids';
import { Testbed } from './testbed';

const skip = testbedSkipReason();
if (skip) console.warn(`libs/testbed crash test skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;
jest.setTimeout(90_000);

const TEST_DIR = path.join(__dirname, '../test');

describeRoot('a test bed whose creating process was SIGKILLed', () => {
  let api: FakeNeutron;
  let stateDir: string;

  beforeAll(async () => {
    api = await FakeNeutron.start();
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'neutrino-testbed-crash-'));
  });

  afterAll(async () => {
    await new Testbed({ stateDir }).down({ deletePorts: false }).catch(() => undefined);
    fs.rmSync(stateDir, { recursive: true, force: true });
    await api?.stop();
  });

  it('is removed completely by a later down() that reads its state file', async () => {
    const rootBefore = (await links(null)).map((l) => l.ifname).sort();
    const child = spawn(process.execPath, ['-r', path.join(TEST_DIR, 'ts-register.js'), path.join(TEST_DIR, 'crash-child.ts'), stateDir, api.url, api.network.id], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child not ready in 60 s: ${out}`)), 60_000);
      child.stdout.on('data', () => out.includes('READY') && (clearTimeout(timer), resolve()));
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`child exited (${code}): ${out}`))));
    });
    child.kill('SIGKILL');
    await exited;

    // Everything the dead process made is still there…
    const bed = new Testbed({ stateDir, apiUrl: api.url });
    const before = await bed.status();
    const prefix = bed.prefix;
    expect(before.netns.every((n) => n.present)).toBe(true);
    expect(before.instances.map((i) => [i.name, i.present])).toEqual([['dhcp1', true], ['static1', true]]);
    expect(before.instances.find((i) => i.name === 'dhcp1')?.dhcpClientAlive).toBe(true);
    expect(before.processes.map((p) => [p.label, p.alive])).toEqual([['agent network1/sleeper', true]]);
    expect(api.ports.size).toBe(2);

    // …and a later down() removes all of it.
    const refs = [...before.processes, ...before.instances.map((i) => i.dhcpClient).filter((r) => !!r)];
    const report = await bed.down();
    expect(report.netnsRemoved.sort()).toEqual([...before.netns.map((n) => n.name), ...before.instances.map((i) => i.netns)].sort());
    expect((await listNetns()).filter((n) => n.startsWith(prefix))).toEqual([]);
    for (const ref of refs) expect({ ref, alive: isAlive(ref!) }).toEqual({ ref, alive: false });
    expect(api.ports.size).toBe(0);
    expect((await links(null)).map((l) => l.ifname).sort()).toEqual(rootBefore);
    expect(bed.state).toBeNull();
    expect(fs.readdirSync(stateDir)).toEqual([]);
  });
});
