import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { testbedSkipReason } from './fixture';
import { listNetns, netnsPids } from './netns';
import { isAlive, processRef } from './pids';
import { RunRecord, sweepDeadRuns } from './run-record';

const TEST_DIR = path.join(__dirname, '../test');
const root = !testbedSkipReason();
if (!root) console.warn('libs/testbed run-record: the namespace part skipped (needs root and iproute2)');
jest.setTimeout(60_000);

/** Runs test/run-record-child.ts until it prints READY; `kill()` SIGKILLs it. */
async function runChild(dir: string, scratch: string, netns: string) {
  const child = spawn(process.execPath, ['-r', path.join(TEST_DIR, 'ts-register.js'), path.join(TEST_DIR, 'run-record-child.ts'), dir, scratch, netns], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const sleepPid = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}): ${out}`)));
  });
  return { pid: child.pid!, sleepPid, kill: async () => (child.kill('SIGKILL'), await exited) };
}

describe('a run record: what a SIGKILLed run made is removed by the next one, by exact name and PID', () => {
  let dir: string;
  let scratch: string;
  const netns = root ? `ntrun${process.pid}` : '-';
  const lookalike = `${netns}-x`;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neutrino-runs-'));
    scratch = path.join(dir, 'scratch-of-the-run');
  });
  afterEach(() => {
    for (const ns of root ? [netns, lookalike] : []) {
      try {
        execFileSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
      } catch {
        /* gone */
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves a live run alone; once its process is SIGKILLed, the next open() kills its processes, deletes its namespace and paths and its file — and nothing it did not record', async () => {
    const child = await runChild(dir, scratch, netns);
    const sleeper = processRef(child.sleepPid, 'sleep')!;
    if (root) execFileSync('ip', ['netns', 'add', lookalike]); // a name the run's would match as a pattern
    expect(await sweepDeadRuns(dir)).toEqual({ runs: [], netnsRemoved: [], processesKilled: 0, pathsRemoved: [] });
    expect(isAlive(sleeper)).toBe(true);

    await child.kill();
    // what a finally block would have removed is still there
    expect(isAlive(sleeper)).toBe(true);
    expect(fs.existsSync(scratch)).toBe(true);
    const inside = root ? await netnsPids(netns) : [];
    if (root) expect(inside.length).toBeGreaterThan(0);

    const { run, swept } = await RunRecord.open(dir, 'next run');
    expect(swept.runs).toEqual([path.join(dir, `${child.pid}.json`)]);
    expect(swept.netnsRemoved).toEqual(root ? [netns] : []);
    expect(swept.processesKilled).toBe(1 + inside.length);
    expect(swept.pathsRemoved).toEqual([scratch]);
    expect(isAlive(sleeper)).toBe(false);
    expect(fs.existsSync(scratch)).toBe(false);
    if (root) {
      const left = await listNetns();
      expect(left).not.toContain(netns);
      expect(left).toContain(lookalike);
    }
    // this run's own file, and only it, is in the directory now
    expect(fs.readdirSync(dir).sort()).toEqual([`${process.pid}.json`]);
    expect(run.recorded.owner.pid).toBe(process.pid);
    expect(await run.close()).toEqual({ runs: [], netnsRemoved: [], processesKilled: 0, pathsRemoved: [] });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('close() removes what is still recorded; a process forgotten after it ended is not signalled', async () => {
    const { run } = await RunRecord.open(dir, 'closing run');
    const a = spawn('sleep', ['300'], { stdio: 'ignore' });
    const b = spawn('sleep', ['300'], { stdio: 'ignore' });
    const ra = run.process(a.pid, 'a')!;
    const rb = run.process(b.pid, 'b')!;
    b.kill('SIGKILL');
    await new Promise((r) => b.once('exit', r));
    run.forgetProcess(rb);
    fs.mkdirSync(run.path(scratch));
    expect(JSON.parse(fs.readFileSync(run.file, 'utf8')).processes.map((p: { pid: number }) => p.pid)).toEqual([a.pid]);
    const report = await run.close();
    expect(report.processesKilled).toBe(1);
    expect(report.pathsRemoved).toEqual([scratch]);
    expect(isAlive(ra)).toBe(false);
    expect(fs.existsSync(run.file)).toBe(false);
    expect(() => run.path('relative/path')).toThrow(/absolute/);
  });
});
