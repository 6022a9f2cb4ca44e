import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * Keeps track of the servers this process spawned so none outlives it:
 *  - on a normal `process.exit` every tracked child is SIGKILLed (by pid) and
 *    its scratch directory removed;
 *  - a tiny detached shell watchdog per child covers the case where this
 *    process itself is SIGKILLed (e.g. a jest worker torn down hard).
 */
interface Tracked {
  child: ChildProcess;
  dir: string | null;
  watchdog: ChildProcess | null;
}

const tracked = new Map<number, Tracked>();
let exitHookInstalled = false;

const WATCHDOG = `
parent="$1"; child="$2"; dir="$3"
while kill -0 "$parent" 2>/dev/null; do
  kill -0 "$child" 2>/dev/null || exit 0
  sleep 1
done
kill -TERM "$child" 2>/dev/null
sleep 2
kill -KILL "$child" 2>/dev/null
if [ -n "$dir" ]; then rm -rf "$dir"; fi
`;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [pid, t] of tracked) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      if (t.watchdog?.pid) {
        try {
          process.kill(t.watchdog.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      if (t.dir) rmSync(t.dir, { recursive: true, force: true });
    }
    tracked.clear();
  });
}

/** Registers a spawned child; `dir` is removed if this process dies first. */
export function trackChild(child: ChildProcess, dir: string | null): void {
  if (!child.pid) return;
  installExitHook();
  let watchdog: ChildProcess | null = null;
  try {
    watchdog = spawn('sh', ['-c', WATCHDOG, 'nats-watchdog', String(process.pid), String(child.pid), dir ?? ''], {
      detached: true,
      stdio: 'ignore',
    });
    watchdog.unref();
  } catch {
    watchdog = null;
  }
  tracked.set(child.pid, { child, dir, watchdog });
}

/** Forgets a child that was stopped normally, and ends its watchdog. */
export function untrackChild(pid: number): void {
  const t = tracked.get(pid);
  if (!t) return;
  tracked.delete(pid);
  if (t.watchdog?.pid && t.watchdog.exitCode === null) {
    try {
      process.kill(t.watchdog.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
}

/** Pids of the children currently tracked (for diagnostics and tests). */
export function trackedPids(): number[] {
  return [...tracked.keys()];
}
