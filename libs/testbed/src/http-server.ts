import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { isAlive, killProcess, processRef, type ProcessRef } from './pids';
import { which } from './run';

/**
 * A tiny HTTP server run inside an instance that answers every request with
 * the instance's name (and a newline): the members of a load balancer, so a
 * client sees which one answered. `node -e`, no files; recorded by PID and
 * start time in `<instance dir>/http.pid`, stopped by that PID only (and with
 * the instance's other processes when it is destroyed).
 */
const SCRIPT = `const [name, port] = process.argv.slice(1);
require('http').createServer((q, s) => { s.setHeader('content-type', 'text/plain'); s.end(name + '\\n'); })
  .listen(Number(port), () => console.log('listening'));`;

const pidFile = (instanceDir: string) => path.join(instanceDir, 'http.pid');

export async function startHttpServer(netns: string, instanceDir: string, name: string, port = 80): Promise<ProcessRef> {
  const running = readHttpServer(instanceDir);
  if (running) throw new Error(`an HTTP server already runs in ${name} (pid ${running.pid}): stop it first`);
  const child = spawn(which('ip') ?? 'ip', ['netns', 'exec', netns, process.execPath, '-e', SCRIPT, name, String(port)], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the HTTP server in ${name} did not start in 10 s: ${stderr.trim()}`)), 10_000);
    createInterface({ input: child.stdout }).once('line', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the HTTP server in ${name} exited with ${code}: ${stderr.trim()}`));
    });
  });
  child.stdout.destroy();
  child.stderr.destroy();
  child.unref();
  const ref = processRef(child.pid!, `http ${name}:${port}`);
  if (!ref) throw new Error(`the HTTP server in ${name} (pid ${child.pid}) is gone`);
  fs.mkdirSync(instanceDir, { recursive: true });
  fs.writeFileSync(pidFile(instanceDir), `${ref.pid} ${ref.startTime} ${port}\n`);
  return ref;
}

/** The instance's HTTP server if it still runs. */
export function readHttpServer(instanceDir: string): (ProcessRef & { port: number }) | null {
  let text: string;
  try {
    text = fs.readFileSync(pidFile(instanceDir), 'utf8');
  } catch {
    return null;
  }
  const [pid, startTime, port] = text.trim().split(' ');
  const ref = { pid: Number(pid), startTime, label: 'http', port: Number(port) };
  return isAlive(ref) ? ref : null;
}

/** Stops it by its recorded PID; false when none ran. */
export async function stopHttpServer(instanceDir: string): Promise<boolean> {
  const ref = readHttpServer(instanceDir);
  fs.rmSync(pidFile(instanceDir), { force: true });
  if (!ref) return false;
  await killProcess(ref);
  return true;
}
