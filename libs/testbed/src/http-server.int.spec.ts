import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from './pids';
import { readHttpServer, startHttpServer, stopHttpServer } from './http-server';

const isRoot = process.getuid?.() === 0;
const NS = `nthttp-${process.pid}`;

(isRoot ? describe : describe.skip)('the instances\' HTTP server (needs root)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'testbed-http-'));
    execFileSync('ip', ['netns', 'add', NS]);
    execFileSync('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
  });
  afterAll(async () => {
    await stopHttpServer(dir).catch(() => undefined);
    execFileSync('ip', ['netns', 'del', NS]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers its name inside the namespace, refuses a second start, and stops by its PID', async () => {
    const ref = await startHttpServer(NS, dir, 'vm1', 8080);
    const body = execFileSync('ip', ['netns', 'exec', NS, process.execPath, '-e', "fetch('http://127.0.0.1:8080/').then(r=>r.text()).then(t=>process.stdout.write(t))"], { encoding: 'utf8' });
    expect(body).toBe('vm1\n');
    expect(readHttpServer(dir)).toMatchObject({ pid: ref.pid, port: 8080 });
    await expect(startHttpServer(NS, dir, 'vm1', 8080)).rejects.toThrow(/already runs/);
    expect(await stopHttpServer(dir)).toBe(true);
    expect(isAlive(ref)).toBe(false);
    expect(await stopHttpServer(dir)).toBe(false);
  });
});
