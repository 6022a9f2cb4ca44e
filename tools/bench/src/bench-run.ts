import { RunRecord } from '@neutrino/testbed';
import type { SuiteFixture } from '@neutrino/testing-suite';

/** Where benchmark runs record what they make (tmpfs: namespaces do not outlive a reboot either). */
export const BENCH_RUN_DIR = process.env.BENCH_RUN_DIR ?? '/run/neutrino-bench';

/**
 * This run's record (BENCH_RUN_DIR/<pid>.json) after the leftovers of the runs
 * that died before they could clean up (SIGKILL) are removed — by the exact
 * namespaces, PIDs and paths those runs recorded.
 */
export async function openBenchRun(label: string): Promise<RunRecord> {
  const { run, swept } = await RunRecord.open(BENCH_RUN_DIR, label);
  if (swept.runs.length) {
    console.log(`(left by ${swept.runs.length} dead run(s), removed: namespaces ${swept.netnsRemoved.join(', ') || 'none'}; ${swept.processesKilled} processes; paths ${swept.pathsRemoved.join(', ') || 'none'})`);
  }
  return run;
}

/**
 * Records a started suite: its data dir, nats-server and service processes
 * (they have their own guards — a watchdog, the supervisor check — the record
 * is for when those did not run; a process that restarted has a new PID, not recorded).
 */
export function recordSuite(run: RunRecord, fx: SuiteFixture): void {
  run.path(fx.dataDir);
  run.process(fx.nats.pid, 'nats-server');
  for (const [name, p] of fx.suite.processes) run.process(p.pid, name);
}
