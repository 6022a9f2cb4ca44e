import * as fs from 'node:fs';
import * as path from 'node:path';
import { workspaceRoot } from './entrypoints';
import { ManagedProcess } from './managed-process';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const waitFor = async (check: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('ManagedProcess', () => {
  it('restarts a child that crashed and stops it by PID', async () => {
    const lines: string[] = [];
    const p = new ManagedProcess({ name: 'sleeper', command: 'sh', args: ['-c', 'echo started; exec sleep 30'], output: (l) => lines.push(l) });
    p.start();
    await waitFor(() => !!p.pid && p.running && lines.length === 1);
    const first = p.pid!;
    p.signal('SIGKILL');
    await waitFor(() => !!p.pid && p.pid !== first && p.running && lines.length === 2);
    const second = p.pid!;
    expect(alive(first)).toBe(false);
    await p.stop(2000);
    expect(alive(second)).toBe(false);
    expect(p.running).toBe(false);
    expect(lines).toEqual(['started', 'started']);
  }, 30_000);

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const p = new ManagedProcess({ name: 'stubborn', command: 'sh', args: ['-c', "trap '' TERM; echo ready; while true; do sleep 0.1; done"], restart: false, output: () => undefined });
    p.start();
    await waitFor(() => !!p.pid && p.running);
    await new Promise((r) => setTimeout(r, 100));
    const pid = p.pid!;
    await p.stop(300);
    expect(alive(pid)).toBe(false);
  }, 30_000);
});

describe('workspaceRoot', () => {
  it('finds the folder with nx.json', () => {
    expect(fs.existsSync(path.join(workspaceRoot(), 'nx.json'))).toBe(true);
  });
});
