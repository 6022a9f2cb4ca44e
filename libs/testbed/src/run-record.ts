import * as fs from 'node:fs';
import * as path from 'node:path';
import { deleteNetns, listNetns, netnsPids } from './netns';
import { isAlive, killProcess, processRef, type ProcessRef } from './pids';

/**
 * What one run (a benchmark, a script) made outside its own process, recorded
 * *before* it is made — as the test bed's state dir records its own — so that
 * whatever a SIGKILL left is removed by the next run: `<dir>/<pid>.json`.
 */
export interface RunFile {
  version: 1;
  label: string;
  /** The process that records (PID and start time): while it lives, its run is not a leftover. */
  owner: ProcessRef;
  /** Network namespaces, by exact name. */
  netns: string[];
  /** Processes it started, by PID and start time. */
  processes: ProcessRef[];
  /** Files and directories it made (absolute paths). */
  paths: string[];
}

export interface LeftoversReport {
  /** The run files of dead runs that were settled. */
  runs: string[];
  netnsRemoved: string[];
  processesKilled: number;
  pathsRemoved: string[];
}

const empty = (): LeftoversReport => ({ runs: [], netnsRemoved: [], processesKilled: 0, pathsRemoved: [] });

/**
 * One run's record. `open()` first removes the leftovers of every run in the
 * directory whose recording process is dead (only what those files name:
 * exact namespace names, PIDs with their start time, paths — never a name
 * pattern), then records this run.
 */
export class RunRecord {
  private constructor(readonly file: string, private readonly state: RunFile) {}

  static async open(dir: string, label: string): Promise<{ run: RunRecord; swept: LeftoversReport }> {
    const swept = await sweepDeadRuns(dir);
    const owner = processRef(process.pid, label);
    if (!owner) throw new Error(`cannot read /proc/${process.pid}/stat`);
    const run = new RunRecord(path.join(dir, `${process.pid}.json`), { version: 1, label, owner, netns: [], processes: [], paths: [] });
    run.write();
    return { run, swept };
  }

  get recorded(): Readonly<RunFile> {
    return this.state;
  }

  /** Records a namespace before it is created. */
  netns(name: string): string {
    if (!this.state.netns.includes(name)) this.state.netns.push(name);
    this.write();
    return name;
  }

  /** Records a process just started (by PID and its start time). */
  process(pid: number | undefined, label: string): ProcessRef | null {
    const ref = pid ? processRef(pid, label) : null;
    if (ref) {
      this.state.processes.push(ref);
      this.write();
    }
    return ref;
  }

  /** Records a file or directory before it is made (an absolute path). */
  path(p: string): string {
    if (!path.isAbsolute(p) || path.resolve(p) === '/') throw new Error(`a run records absolute paths below /, not ${p}`);
    if (!this.state.paths.includes(p)) this.state.paths.push(p);
    this.write();
    return p;
  }

  /** A recorded process that ended normally is forgotten. */
  forgetProcess(ref: ProcessRef | null): void {
    if (!ref) return;
    this.state.processes = this.state.processes.filter((p) => p.pid !== ref.pid || p.startTime !== ref.startTime);
    this.write();
  }

  /** Removes recorded namespaces now (their processes killed by PID first) and forgets them. */
  async removeNetns(...names: string[]): Promise<void> {
    await removeNetnsList(names.filter((n) => this.state.netns.includes(n)), empty());
    this.state.netns = this.state.netns.filter((n) => !names.includes(n));
    this.write();
  }

  /** Removes everything still recorded, then the run file. */
  async close(): Promise<LeftoversReport> {
    const report = empty();
    await removeLeftovers(this.state, report);
    fs.rmSync(this.file, { force: true });
    return report;
  }

  private write(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(this.state, null, 2)}\n`);
    fs.renameSync(tmp, this.file);
  }
}

/** Removes what the run files of dead runs in `dir` name, then those files. A live run's file is left alone. */
export async function sweepDeadRuns(dir: string): Promise<LeftoversReport> {
  const report = empty();
  if (!fs.existsSync(dir)) return report;
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    let run: RunFile;
    try {
      run = JSON.parse(fs.readFileSync(file, 'utf8')) as RunFile;
    } catch {
      continue; // being written (renamed into place whole), or not ours to read
    }
    if (run.version !== 1 || !run.owner || isAlive(run.owner)) continue;
    await removeLeftovers(run, report);
    fs.rmSync(file, { force: true });
    report.runs.push(file);
  }
  return report;
}

async function removeLeftovers(run: RunFile, report: LeftoversReport): Promise<void> {
  // Processes first, so nothing re-creates what is being removed.
  for (const p of run.processes) {
    if (!isAlive(p)) continue;
    await killProcess(p);
    report.processesKilled++;
  }
  await removeNetnsList(run.netns, report);
  for (const p of run.paths) {
    if (!fs.existsSync(p)) continue;
    fs.rmSync(p, { recursive: true, force: true });
    report.pathsRemoved.push(p);
  }
}

async function removeNetnsList(names: string[], report: LeftoversReport): Promise<void> {
  if (!names.length) return;
  const existing = new Set(await listNetns());
  // Longer names first: an agent's namespaces are named after their host's.
  for (const ns of [...names].sort((a, b) => b.length - a.length)) {
    if (!existing.has(ns)) continue;
    for (const pid of await netnsPids(ns)) {
      const ref = processRef(pid, `process in ${ns}`);
      if (ref) {
        await killProcess(ref);
        report.processesKilled++;
      }
    }
    if (await deleteNetns(ns)) report.netnsRemoved.push(ns);
  }
}
