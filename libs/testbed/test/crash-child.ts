// Child of the crash test: brings a test bed up with an agent and two
// instances (one with a DHCP client that keeps running), says READY, and waits
// to be SIGKILLed. argv: <stateDir> <apiUrl> <networkId>
import { Testbed } from '../src/testbed';

async function main(): Promise<void> {
  const [stateDir, apiUrl, networkId] = process.argv.slice(2);
  const bed = new Testbed({ stateDir, apiUrl });
  await bed.up({ agents: { network1: [{ name: 'sleeper', command: 'sleep', args: ['300'] }] } });
  await bed.boot('static1', { networkId, host: 'compute1', dhcp: false });
  await bed.boot('dhcp1', { networkId, host: 'compute2' });
  while (!bed.state?.processes.length) await new Promise((r) => setTimeout(r, 20));
  process.stdout.write('READY\n');
  setInterval(() => undefined, 1 << 30);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
