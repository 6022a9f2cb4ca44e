import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { findNatsServer } from './nats-binary';
import { workspaceRoot } from './entrypoints';

const supervised = path.join(workspaceRoot(), 'tools/runtime/supervised.js');
// the supervisor below is a plain node process: it runs the built ManagedProcess (npx tsc -p tsconfig.build.json)
const managed = path.join(workspaceRoot(), 'dist/libs/process/src/managed-process.js');
const alive = (pid: number) => existsSync(`/proc/${pid}/stat`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
const until = async (what: () => boolean) => {
  while (!what()) await new Promise((r) => setTimeout(r, 100));
};
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
  });

/**
 * Issue 9: after kill -9 of the supervisor its children stop by themselves —
 * a node service through the preload, nats-server through its watchdog — and
 * nothing keeps listening.
 */
describe('children of a supervisor that is killed -9', () => {
  it('a node service and nats-server stop, and their ports are free again', async () => {
    if (!existsSync(managed)) throw new Error(`${managed} is missing: build first (npx tsc -p tsconfig.build.json)`);
    const port = 20000 + (process.pid % 20000);
    const natsPort = port + 1;
    // The supervisor: a node process running ManagedProcess for both children, printing their pids.
    const script = `
      const { ManagedProcess } = require(${JSON.stringify(managed)});
      const svc = new ManagedProcess({ name: 'svc', command: process.execPath, env: { NEUTRINO_SUPERVISOR_PID: String(process.pid) },
        args: ['-r', ${JSON.stringify(supervised)}, '-e', "require('net').createServer().listen(${port}, '127.0.0.1')"] });
      const nats = new ManagedProcess({ name: 'nats', command: ${JSON.stringify(findNatsServer())}, args: ['-a', '127.0.0.1', '-p', '${natsPort}'], watchdog: true, output: () => {} });
      const pids = {};
      svc.once('spawn', (pid) => { pids.svc = pid; if (pids.nats) console.log(JSON.stringify(pids)); });
      nats.once('spawn', (pid) => { pids.nats = pid; if (pids.svc) console.log(JSON.stringify(pids)); });
      svc.start(); nats.start();`;
    const supervisor = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pids: { svc: number; nats: number } = await new Promise((resolve) => supervisor.stdout.once('data', (d) => resolve(JSON.parse(String(d)))));
    for (let i = 0; i < 100 && !((await listening(port)) && (await listening(natsPort))); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await listening(port)).toBe(true);
    expect(await listening(natsPort)).toBe(true);

    process.kill(supervisor.pid!, 'SIGKILL');
    await until(() => !alive(pids.svc) && !alive(pids.nats));
    expect(await listening(port)).toBe(false);
    expect(await listening(natsPort)).toBe(false);
  }, 30_000);
});
