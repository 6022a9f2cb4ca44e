// Child of the crash tests: brings a test bed up with an agent and two
// instances (one with a DHCP client that keeps running), prints
// "READY <stateDir> <prefix>", and waits to be SIGKILLed.
// argv: plain <stateDir> <apiUrl> <networkId>   — a Testbed on that state dir
//       fixture - <apiUrl> <networkId>           — a TestbedFixture (own temp dir, shell watchdog)
import { TestbedFixture } from '../src/fixture';
import { Testbed } from '../src/testbed';

async function main(): Promise<void> {
  const [mode, stateDir, apiUrl, networkId] = process.argv.slice(2);
  const agents = { network1: [{ name: 'sleeper', command: 'sleep', args: ['300'] }], compute1: [{ name: 'rooted', command: 'sleep', args: ['301'], inHostNetns: false }] };
  let bed: Testbed;
  if (mode === 'fixture') {
    bed = await TestbedFixture.create({ apiUrl, agents });
  } else {
    bed = new Testbed({ stateDir, apiUrl });
    await bed.up({ agents });
  }
  await bed.boot('static1', { networkId, host: 'compute1', dhcp: false });
  await bed.boot('dhcp1', { networkId, host: 'compute2' });
  while ((bed.state?.processes.length ?? 0) < 2) await new Promise((r) => setTimeout(r, 20));
  process.stdout.write(`READY ${bed.dir.dir} ${bed.prefix}\n`);
  setInterval(() => undefined, 1 << 30);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
