import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testbed, type TestbedOptions, type UpOptions } from './testbed';
import type { TeardownReport } from './teardown';
import { which } from './run';

/**
 * Why the test bed cannot run here, or null when it can: it needs root (to
 * create namespaces) and iproute2. Tests skip with this message.
 */
export function testbedSkipReason(): string | null {
  if (process.getuid?.() !== 0) return 'the namespace test bed needs root (run the tests as root; CI does)';
  if (!which('ip')) return 'iproute2 (ip) is missing';
  return null;
}

/**
 * Shell run detached beside a fixture: if the test process dies without
 * dispose() (a jest worker SIGKILLed), it kills the recorded agents (by PID
 * and start time) and every process inside the test bed's namespaces (by
 * PID), deletes the namespaces and the state dir.
 */
const WATCHDOG = `
parent="$1"; prefix="$2"; dir="$3"; ip="$4"
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
if [ -f "$dir/pids" ]; then
  while read -r pid start; do
    now=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f20)
    if [ -n "$now" ] && [ "$now" = "$start" ]; then kill -KILL "$pid" 2>/dev/null; fi
  done < "$dir/pids"
fi
for ns in $("$ip" netns list | awk '{print $1}' | grep "^$prefix"); do
  for pid in $("$ip" netns pids "$ns"); do kill -KILL "$pid" 2>/dev/null; done
  "$ip" netns delete "$ns" 2>/dev/null
done
rm -rf "$dir"
`;

/** A test bed for one test file: its own state dir under the temp dir, a random id, cleaned up by dispose(). */
export class TestbedFixture extends Testbed {
  private watchdog: ChildProcess | null = null;

  static async create(opts: Partial<TestbedOptions> & UpOptions & { watchdog?: boolean } = {}): Promise<TestbedFixture> {
    const stateDir = opts.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'neutrino-testbed-'));
    const bed = new TestbedFixture({ stateDir, apiUrl: opts.apiUrl, apiHeaders: opts.apiHeaders, metadataUrl: opts.metadataUrl });
    try {
      await bed.up(opts);
    } catch (err) {
      fs.rmSync(stateDir, { recursive: true, force: true });
      throw err;
    }
    if (opts.watchdog ?? true) {
      bed.watchdog = spawn('sh', ['-c', WATCHDOG, 'testbed-watchdog', String(process.pid), bed.prefix, stateDir, which('ip') ?? 'ip'], {
        detached: true,
        stdio: 'ignore',
      });
      bed.watchdog.unref();
    }
    return bed;
  }

  /** down(), then the state dir and the watchdog go. */
  async dispose(): Promise<TeardownReport> {
    const report = await this.down();
    fs.rmSync(this.dir.dir, { recursive: true, force: true });
    if (this.watchdog?.pid && this.watchdog.exitCode === null) this.watchdog.kill('SIGKILL');
    this.watchdog = null;
    return report;
  }
}
