import type { ManagedProcess, ProcessFile } from '../model/types';
import { indexBy, ns, processKey, sortedKeys } from '../model/keys';
import type { Change } from './changes';

const sameArgv = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function changedFiles(d: ManagedProcess, o: ManagedProcess): ProcessFile[] {
  const have = new Map((o.files ?? []).map((f) => [f.path, f.content]));
  return (d.files ?? []).filter((f) => have.get(f.path) !== f.content);
}

/**
 * Processes are ours by construction (the driver keeps a record of each one it
 * started). A changed command line or namespace restarts; changed files are
 * rewritten and, with a reload signal, signalled (dnsmasq: SIGHUP), else restarted.
 */
export function diffProcesses(desired: ManagedProcess[], observed: ManagedProcess[]): Change[] {
  const D = indexBy(desired, processKey);
  const O = indexBy(observed, processKey);
  const changes: Change[] = [];
  for (const k of sortedKeys(D, O)) {
    const d = D.get(k);
    const o = O.get(k);
    if (!d) {
      changes.push({ kind: 'process.stop', process: o! });
      continue;
    }
    const proc = { ...d, netns: ns(d.netns) };
    if (!o || !o.running || o.pid === undefined) {
      changes.push({ kind: 'process.start', process: proc });
      continue;
    }
    if (!sameArgv(d.argv, o.argv) || ns(d.netns) !== ns(o.netns) || d.pidFile !== o.pidFile) {
      changes.push({ kind: 'process.restart', process: proc, pid: o.pid });
      continue;
    }
    const files = changedFiles(d, o);
    if (!files.length) continue;
    if (d.reloadSignal) changes.push({ kind: 'process.reload', process: proc, pid: o.pid, files });
    else changes.push({ kind: 'process.restart', process: proc, pid: o.pid });
  }
  return changes;
}
