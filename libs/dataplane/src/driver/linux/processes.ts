import { spawn } from 'node:child_process';
import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManagedProcess } from '../../model/types';
import { inNetns, realNetns } from '../../render/netns';
import type { Exec } from './exec';
import { liveCmdline, readPid, readText, removeFile, waitFor, writeAtomic } from './proc-fs';

/** A reload that replaces children: signals sent before giving up, and how long each waits for a new child. */
const RELOAD_ATTEMPTS = 3;
const RELOAD_WAIT_MS = 2500;

/** What we remember about a process we started: enough to find it, check it and clean up after it. */
type ProcessRecord = Omit<ManagedProcess, 'files' | 'pid' | 'running'> & { files: string[] };

const ID = /^[A-Za-z0-9._-]+$/;
const sameArgv = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Managed processes on a linux host: each is recorded in `<stateDir>/<id>.json`;
 * it runs when its pid file names a live process whose command line is the one
 * we started (so a recycled pid is never mistaken for ours, nor signalled).
 */
export class ProcessManager {
  constructor(
    private readonly stateDir: string,
    private readonly exec: Exec,
    private readonly hostNetns?: string,
  ) {}

  private recordPath = (id: string) => join(this.stateDir, `${id}.json`);

  async observe(): Promise<ManagedProcess[]> {
    let names: string[] = [];
    try {
      names = (await readdir(this.stateDir)).filter((n) => n.endsWith('.json')).sort();
    } catch {
      return [];
    }
    const out: ManagedProcess[] = [];
    for (const n of names) {
      const text = await readText(join(this.stateDir, n));
      if (!text) continue;
      const rec = JSON.parse(text) as ProcessRecord;
      const pid = await this.runningPid(rec);
      const files = [];
      for (const path of rec.files) {
        const content = await readText(path);
        if (content !== undefined) files.push({ path, content });
      }
      out.push({ ...rec, files, pid, running: pid !== undefined });
    }
    return out;
  }

  private async runningPid(rec: Pick<ProcessRecord, 'pidFile' | 'argv' | 'runsAs'>): Promise<number | undefined> {
    const pid = await readPid(rec.pidFile);
    if (pid === undefined) return undefined;
    const cmd = await liveCmdline(pid);
    return cmd && sameArgv(cmd, rec.runsAs ?? rec.argv) ? pid : undefined;
  }

  async start(p: ManagedProcess): Promise<void> {
    if (!ID.test(p.id)) throw new Error(`bad process id ${p.id}`);
    const rec: ProcessRecord = { id: p.id, netns: p.netns ?? '', argv: p.argv, pidFile: p.pidFile, files: (p.files ?? []).map((f) => f.path) };
    if (p.reloadSignal) rec.reloadSignal = p.reloadSignal;
    if (p.runsAs) rec.runsAs = p.runsAs;
    if (p.daemonizes) rec.daemonizes = true;
    if (p.reloadReplacesChildren) rec.reloadReplacesChildren = true;
    await writeAtomic(this.recordPath(p.id), JSON.stringify(rec, null, 1));
    for (const f of p.files ?? []) await writeAtomic(f.path, f.content, f.mode);
    await removeFile(p.pidFile);
    const argv = inNetns(realNetns(p.netns, this.hostNetns), p.argv);
    if (p.daemonizes) {
      const r = await this.exec(argv);
      if (r.code !== 0) throw new Error(`${p.argv[0]} exited with ${r.code}: ${r.stderr.trim()}`);
      const pid = await waitFor(() => this.runningPid(p), 5000);
      if (pid === undefined) throw new Error(`${p.argv[0]} did not write a live pid to ${p.pidFile}`);
      return;
    }
    const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: 'ignore' });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve(child.pid!));
    });
    child.unref();
    await writeAtomic(p.pidFile, `${pid}\n`);
    // `ip netns exec` execs the program in place, so the pid is the program's once the exec is done
    if ((await waitFor(() => this.runningPid(p), 2000)) === undefined) throw new Error(`${p.argv[0]} (pid ${pid}) is not running`);
  }

  async reload(p: ManagedProcess, pid: number, files: ManagedProcess['files'] = []): Promise<void> {
    for (const f of files) await writeAtomic(f.path, f.content, f.mode);
    if ((await this.runningPid(p)) !== pid) throw new Error(`${p.id}: pid ${pid} is no longer ours`);
    const signal = p.reloadSignal ?? 'SIGHUP';
    if (!p.reloadReplacesChildren) {
      process.kill(pid, signal);
      return;
    }
    // HAProxy's master can lose a signal that arrives while it is still finishing the last reload: no new worker then
    // means the signal is sent again (the files are already written, so a later reconcile would see nothing to do).
    const before = await childPids(pid);
    for (let attempt = 1; attempt <= RELOAD_ATTEMPTS; attempt++) {
      process.kill(pid, signal);
      const fresh = await waitFor(async () => (await childPids(pid)).find((c) => !before.includes(c)), RELOAD_WAIT_MS);
      if (fresh) {
        // Until the old workers close their listeners (the master tells them once the new ones run) both generations
        // accept new connections and the old config still answers some: the reload is done when no old one listens.
        await waitFor(async () => ((await oldStillListening(before, fresh)) ? undefined : true), RELOAD_WAIT_MS);
        return;
      }
      if ((await this.runningPid(p)) !== pid) throw new Error(`${p.id}: pid ${pid} went away during its reload`);
    }
    throw new Error(`${p.id}: no new child of pid ${pid} after ${RELOAD_ATTEMPTS} × ${signal}, ${RELOAD_WAIT_MS} ms apart (the reload failed?)`);
  }

  /** Stop by pid (only if it is still the process we started), then forget it and remove its files. */
  async stop(p: Pick<ManagedProcess, 'id' | 'argv' | 'pidFile' | 'files' | 'runsAs'>, cleanup = true): Promise<void> {
    const pid = await this.runningPid(p);
    if (pid !== undefined) {
      process.kill(pid, 'SIGTERM');
      const gone = await waitFor(async () => ((await liveCmdline(pid)) ? undefined : true), 3000);
      if (!gone) process.kill(pid, 'SIGKILL');
      await waitFor(async () => ((await liveCmdline(pid)) ? undefined : true), 2000);
    }
    await removeFile(p.pidFile);
    if (!cleanup) return;
    for (const f of p.files ?? []) await removeFile(f.path);
    await removeFile(this.recordPath(p.id));
  }
}

/** The live children of a process (from /proc/<pid>/task/<tid>/children; zombies left out). */
async function childPids(pid: number): Promise<number[]> {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = await readdir(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    const text = await readText(`/proc/${pid}/task/${t}/children`);
    for (const c of (text ?? '').split(/\s+/).filter(Boolean).map(Number)) if (await liveCmdline(c)) out.push(c);
  }
  return out;
}

/** Restart: stop what the record says we started, then start the new spec. */
export async function restartProcess(pm: ProcessManager, stateDir: string, p: ManagedProcess): Promise<void> {
  const text = await readText(join(stateDir, `${p.id}.json`));
  if (text) {
    const rec = JSON.parse(text) as ProcessRecord;
    await pm.stop({ id: rec.id, argv: rec.argv, pidFile: rec.pidFile, ...(rec.runsAs ? { runsAs: rec.runsAs } : {}) }, false);
  }
  await pm.start(p);
}

/** The inodes of the listening TCP sockets in the network namespace of `pid` (/proc/<pid>/net/tcp and tcp6, state 0A). */
async function listeningInodes(pid: number): Promise<Set<string>> {
  const out = new Set<string>();
  for (const table of ['tcp', 'tcp6']) {
    const text = await readText(`/proc/${pid}/net/${table}`);
    for (const line of (text ?? '').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && f[9]) out.add(f[9]);
    }
  }
  return out;
}

/** Does any of the `old` processes still hold a listening socket of the namespace `fresh` runs in? */
async function oldStillListening(old: number[], fresh: number): Promise<boolean> {
  const listening = await listeningInodes(fresh);
  for (const pid of old) {
    let fds: string[] = [];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue; // gone
    }
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && listening.has(inode)) return true;
    }
  }
  return false;
}

