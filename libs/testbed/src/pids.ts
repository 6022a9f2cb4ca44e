import { readFileSync } from 'node:fs';

/**
 * A process recorded by PID and its start time (field 22 of /proc/<pid>/stat),
 * so a later `down()` never signals an unrelated process that reused the PID.
 */
export interface ProcessRef {
  pid: number;
  startTime: string;
  /** What it is, for status output (e.g. "udhcpc vm1", "agent network1/l2"). */
  label: string;
}

function stat(pid: number): { state: string; startTime: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); start time is field 22.
    return { state: fields[0], startTime: fields[19] };
  } catch {
    return null;
  }
}

export function processRef(pid: number, label: string): ProcessRef | null {
  const s = stat(pid);
  return s ? { pid, startTime: s.startTime, label } : null;
}

/** True while the recorded process (same PID, same start time) exists and is not a zombie. */
export function isAlive(ref: ProcessRef): boolean {
  const s = stat(ref.pid);
  return !!s && s.startTime === ref.startTime && s.state !== 'Z' && s.state !== 'X';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, then SIGKILL after `graceMs`, by PID only; returns once it is gone. */
export async function killProcess(ref: ProcessRef, graceMs = 2000): Promise<void> {
  if (!isAlive(ref)) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (isAlive(ref)) process.kill(ref.pid, sig);
    } catch {
      /* gone meanwhile */
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(ref) && Date.now() < deadline) await sleep(20);
  if (!isAlive(ref)) return;
  signal('SIGKILL');
  const hard = Date.now() + 5000;
  while (isAlive(ref) && Date.now() < hard) await sleep(20);
  if (isAlive(ref)) throw new Error(`process ${ref.pid} (${ref.label}) survived SIGKILL`);
}
