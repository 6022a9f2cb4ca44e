import type { Command } from 'commander';
import { dataDir, intSetting, natsServers, setting } from '@neutrino/config';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Suite, gatewayBackends, heldPorts, heldPortsMessage, loadEntrypoints } from '@neutrino/process';
import { Testbed, suiteAgents, testbedSkipReason, type HostInfo } from '@neutrino/testbed';
const entrypoints = loadEntrypoints();

function controllerMode(): 'shared' | 'separate' {
  const mode = setting('controller');
  if (mode === 'shared' || mode === 'separate') return mode;
  console.error(`neutrino: NEUTRINO_CONTROLLER must be shared or separate, not ${JSON.stringify(mode)}`);
  process.exit(1);
}

/** `neutrino start`: the whole suite on this machine until Ctrl-C. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('start nats-server (embedded unless NEUTRINO_NATS_URL is set), ipam, the api-gateway and the metadata service; Ctrl-C stops them all')
    .option('--ipam-replicas <n>', 'ipam processes to run', String(intSetting('ipamReplicas')))
    .option('--nats-cluster <n>', 'run the embedded NATS as a JetStream cluster of n nodes on loopback (infra/nats/cluster.conf; the stream at n replicas)', '1')
    .option('--gateways <n>', 'api-gateway processes behind one API address (HAProxy on NEUTRINO_API_PORT, infra/haproxy/api.cfg; the gateways on the next n ports of 127.0.0.1, each with the read fence on)', '1')
    .action(async (opts: { ipamReplicas: string; natsCluster: string; gateways: string }) => {
      const loopback = '127.0.0.1';
      const gateways = Number(opts.gateways);
      if (!Number.isInteger(gateways) || gateways < 1 || gateways > 9) {
        console.error(`neutrino: --gateways must be a whole number from 1 to 9, not ${JSON.stringify(opts.gateways)}`);
        process.exit(1);
      }
      const natsCluster = Number(opts.natsCluster);
      if (!Number.isInteger(natsCluster) || natsCluster < 1 || natsCluster > 9) {
        console.error(`neutrino: --nats-cluster must be a whole number from 1 to 9, not ${JSON.stringify(opts.natsCluster)}`);
        process.exit(1);
      }
      if (natsCluster > 1 && setting('natsUrl')) {
        console.error('neutrino: --nats-cluster runs an embedded cluster; NEUTRINO_NATS_URL names an external NATS — use one or the other');
        process.exit(1);
      }
      const natsPort = intSetting('natsPort');
      const natsPorts = setting('natsUrl')
        ? []
        : Array.from({ length: natsCluster }, (_, i) => [
          { name: 'NEUTRINO_NATS_PORT', host: loopback, port: natsPort + i },
          ...(natsCluster > 1 ? [{ name: 'NEUTRINO_NATS_PORT + 2000 (cluster routes)', host: loopback, port: natsPort + 2000 + i }, { name: 'NEUTRINO_NATS_PORT + 4000 (monitoring)', host: loopback, port: natsPort + 4000 + i }] : []),
        ]).flat();
      const held = await heldPorts([
        ...natsPorts,
        { name: 'NEUTRINO_API_PORT', host: setting('apiHost'), port: intSetting('apiPort') },
        ...(gateways > 1 ? gatewayBackends(intSetting('apiPort'), gateways).map((b) => ({ name: `NEUTRINO_API_PORT + ${b.port - intSetting('apiPort')} (${b.name} behind the front)`, host: b.host, port: b.port })) : []),
        { name: 'NEUTRINO_METADATA_PORT', host: setting('metadataHost'), port: intSetting('metadataPort') },
        { name: 'NEUTRINO_GATEWAY_METRICS_PORT', host: loopback, port: intSetting('gatewayMetricsPort') },
        { name: 'NEUTRINO_IPAM_METRICS_PORT', host: loopback, port: intSetting('ipamMetricsPort') },
      ]);
      if (held.length) {
        console.error(heldPortsMessage(held));
        process.exit(1);
      }
      const suite = new Suite({
        dataDir: dataDir(),
        natsUrls: setting('natsUrl') ? natsServers() : [],
        natsPort,
        natsCluster,
        apiHost: setting('apiHost'),
        apiPort: intSetting('apiPort'),
        ipamReplicas: Number(opts.ipamReplicas),
        gateways,
        entrypoints,
        metadata: { host: setting('metadataHost'), port: intSetting('metadataPort') },
        controller: controllerMode(),
      });
      let stopping = false;
      let bed: Testbed | null = null;
      const stop = async (sig: string) => {
        if (stopping) return;
        stopping = true;
        console.error(`neutrino: ${sig} — stopping every process`);
        if (bed) await bed.down({ deletePorts: true }).catch((err) => console.error(`neutrino: test bed teardown: ${err.message}`));
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
      if (gateways > 1) console.error(`neutrino: ${gateways} api-gateways (${suite.gatewayUrls.join(', ')}) behind HAProxy on ${suite.apiUrl}`);
      console.error(`neutrino: Neutron API on ${suite.apiUrl}, metadata service on ${suite.metadataUrl} (data in ${dataDir()}, NATS ${suite.natsUrl}); Ctrl-C stops`);
      if (setting('testbed') !== 'off' && !testbedSkipReason()) {
        bed = await startTestbed(suite);
        const hosts = bed.plan.hosts.map((h) => `${h.name} (${h.netns})`).join(', ');
        console.error(`neutrino: test bed up with agents on ${hosts}; boot an instance with  npx neutrino testbed boot <name> --network <id> --host compute1`);
      }
      console.error(
        setting('authStrategy') === 'keystone'
          ? `neutrino: Keystone at ${setting('keystoneUrl')} checks every token; try  openstack --os-auth-url ${setting('keystoneUrl')} --os-username <user> --os-project-name <project> network list  (with a network endpoint at ${suite.apiUrl} in the catalog)`
          : `neutrino: try  openstack --os-auth-type none --os-endpoint ${suite.apiUrl} network list`,
      );
    });
}

/** Agents a test bed host runs: every host an l2-agent, network nodes also the dhcp-agent, the l3-agent, the metadata agent, the lbaas-agent and the fwaas-agent — those that are built. */
function agentsOf(host: HostInfo): string[] {
  const names = host.network ? ['l2-agent', 'dhcp-agent', 'l3-agent', 'metadata-agent', 'lbaas-agent', 'fwaas-agent'] : ['l2-agent'];
  return names.filter((n) => fs.existsSync((entrypoints.services as Record<string, string>)[n] ?? ''));
}

/** As root: the namespace test bed (network1, compute1, compute2) with its agents; a stale one from a crash is removed first. */
async function startTestbed(suite: Suite): Promise<Testbed> {
  const bed = new Testbed({ stateDir: path.join(dataDir(), 'testbed'), apiUrl: suite.apiUrl, metadataUrl: suite.metadataUrl });
  if (bed.state) await bed.down({ deletePorts: true });
  // NEUTRINO_L2_MECHANISM=openvswitch: the computes on Open vSwitch (network1 stays LinuxBridge)
  const mechanism = setting('l2Mechanism') === 'openvswitch' ? 'openvswitch' : 'linuxbridge';
  await bed.up({ mechanism, agents: suiteAgents(suite.natsUrl, dataDir(), agentsOf, suite.metadataUrl ? { NEUTRINO_METADATA_URL: suite.metadataUrl } : {}) });
  return bed;
}
