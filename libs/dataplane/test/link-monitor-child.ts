// A process that watches a namespace's links and then waits to be killed (linux-driver.int.spec.ts).
import { LinuxDriver } from '../src/driver/linux/linux-driver';

const [netns, stateDir] = process.argv.slice(2);
new LinuxDriver({ hostNetns: netns, stateDir }).watchLinks(() => undefined);
process.stdout.write('READY\n');
setInterval(() => undefined, 60_000);
