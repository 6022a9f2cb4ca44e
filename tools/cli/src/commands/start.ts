import type { Command } from 'commander';
import { dataDir, intSetting, natsServers, setting } from '@neutrino/config';
import { Suite, loadEntrypoints } from '@neutrino/process';
const entrypoints = loadEntrypoints();

/** `neutrino start`: the whole suite on this machine until Ctrl-C. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('start nats-server (embedded unless NEUTRINO_NATS_URL is set), ipam and the api-gateway; Ctrl-C stops them all')
    .option('--ipam-replicas <n>', 'ipam processes to run', String(intSetting('ipamReplicas')))
    .action(async (opts: { ipamReplicas: string }) => {
      const suite = new Suite({
        dataDir: dataDir(),
        natsUrls: setting('natsUrl') ? natsServers() : [],
        natsPort: intSetting('natsPort'),
        apiHost: setting('apiHost'),
        apiPort: intSetting('apiPort'),
        ipamReplicas: Number(opts.ipamReplicas),
        entrypoints,
      });
      let stopping = false;
      const stop = async (sig: string) => {
        if (stopping) return;
        stopping = true;
        console.error(`neutrino: ${sig} — stopping every process`);
        await suite.stop();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
      try {
        await suite.start();
      } catch (err) {
        await suite.stop();
        throw err;
      }
      console.error(`neutrino: Neutron API on ${suite.apiUrl} (data in ${dataDir()}, NATS ${suite.natsUrl}); Ctrl-C stops`);
      console.error(`neutrino: try  openstack --os-auth-type none --os-endpoint ${suite.apiUrl} network list`);
    });
}
