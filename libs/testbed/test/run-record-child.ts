// Child of the run-record test: records a run in <dir> (a `sleep` it starts, a
// scratch directory, and with `netns` a namespace with a process inside),
// prints "READY <sleepPid> <netns|->", and waits to be SIGKILLed.
// argv: <dir> <scratch> <netns|->
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { RunRecord } from '../src/run-record';

async function main(): Promise<void> {
  const [dir, scratch, netns] = process.argv.slice(2);
  const { run } = await RunRecord.open(dir, 'run-record-child');
  fs.mkdirSync(run.path(scratch), { recursive: true });
  const sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });
  run.process(sleeper.pid, 'sleep');
  if (netns !== '-') {
    execFileSync('ip', ['netns', 'add', run.netns(netns)]);
    // a process inside it that the run did not record: found by the namespace's exact name
    spawn('ip', ['netns', 'exec', netns, 'sleep', '301'], { stdio: 'ignore', detached: true }).unref();
    while (!execFileSync('ip', ['netns', 'pids', netns], { encoding: 'utf8' }).trim()) await new Promise((r) => setTimeout(r, 20));
  }
  process.stdout.write(`READY ${sleeper.pid} ${netns}\n`);
  setInterval(() => undefined, 1 << 30);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
