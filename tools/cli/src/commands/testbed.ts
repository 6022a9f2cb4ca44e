import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Command } from 'commander';
import { dataDir, setting } from '@neutrino/config';
import { Testbed, testbedSkipReason, which, type HostSpec } from '@neutrino/testbed';
import { apiUrlFrom, formatBoot, formatStatus, formatUp } from './testbed-format';

/** The CLI's test bed: state in NEUTRINO_DATA_DIR/testbed, the API at NEUTRINO_API_HOST:NEUTRINO_API_PORT. */
function openTestbed(metadataUrl?: string): Testbed {
  const apiUrl = apiUrlFrom(setting('apiHost'), setting('apiPort'));
  return new Testbed({ stateDir: path.join(dataDir(), 'testbed'), apiUrl, metadataUrl });
}

/** The metadata service booted instances are registered with (so it can serve them), when one answers. */
async function reachableMetadataUrl(): Promise<string | undefined> {
  const url = setting('metadataUrl') || `http://${setting('metadataHost')}:${setting('metadataPort')}`;
  const up = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(() => true, () => false);
  if (!up) console.error(`note: no metadata service answers at ${url}; the instance will not get metadata`);
  return up ? url : undefined;
}

function needRoot(): void {
  const reason = testbedSkipReason();
  if (reason) throw new Error(reason);
}

/** `network1:network,compute1,compute2` → host specs. */
function parseHosts(list: string): HostSpec[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [name, role] = s.split(':');
      if (role && role !== 'network') throw new Error(`host "${s}": the only role is "network"`);
      return { name, network: role === 'network' };
    });
}

/** `neutrino testbed …`: hosts, a fabric and instances in network namespaces, for end-to-end work on the real kernel. */
export function registerTestbed(program: Command): void {
  const tb = program.command('testbed').description('the namespace test bed: hosts, fabric, internet and instances as network namespaces (needs root)');

  tb.command('up')
    .description('create the fabric, host (network1, compute1, compute2) and internet namespaces')
    .option('--id <id>', 'test bed id; namespaces are named nt<id>-… (default: random)')
    .option('--hosts <list>', 'hosts, e.g. network1:network,compute1,compute2 (":network" = network node with eth3)')
    .option('--mechanism <m>', 'l2 mechanism of the compute hosts: linuxbridge or openvswitch (each compute then runs its own ovsdb-server and ovs-vswitchd)', 'linuxbridge')
    .option('--network-mechanism <m>', 'l2 mechanism of the network hosts: linuxbridge or openvswitch (DHCP and router taps on br-int, br-ex for the external network)', 'linuxbridge')
    .action(async (opts: { id?: string; hosts?: string; mechanism: string; networkMechanism: string }) => {
      needRoot();
      for (const [flag, m] of [['--mechanism', opts.mechanism], ['--network-mechanism', opts.networkMechanism]])
        if (m !== 'linuxbridge' && m !== 'openvswitch') throw new Error(`${flag} must be linuxbridge or openvswitch, not ${m}`);
      const t0 = Date.now();
      const state = await openTestbed().up({
        id: opts.id, hosts: opts.hosts ? parseHosts(opts.hosts) : undefined, mechanism: opts.mechanism as 'linuxbridge' | 'openvswitch', networkMechanism: opts.networkMechanism as 'linuxbridge' | 'openvswitch',
      });
      process.stdout.write(formatUp(state, Date.now() - t0));
    });

  tb.command('down')
    .description('remove every namespace, link and process of the test bed and delete its instances\' ports')
    .option('--keep-ports', 'do not delete the instances\' ports through the API')
    .action(async (opts: { keepPorts?: boolean }) => {
      needRoot();
      const t0 = Date.now();
      const r = await openTestbed().down({ deletePorts: !opts.keepPorts });
      console.log(`test bed down in ${Date.now() - t0} ms: ${r.netnsRemoved.length} namespace(s), ${r.processesKilled} process(es), ${r.portsDeleted.length} port(s)`);
      for (const w of r.warnings) console.error(`warning: ${w}`);
    });

  tb.command('status')
    .description('what the test bed recorded, checked against the kernel')
    .option('--json', 'as JSON')
    .action(async (opts: { json?: boolean }) => {
      const s = await openTestbed().status();
      process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : formatStatus(s));
    });

  tb.command('boot <name>')
    .description('create a port (binding:host_id = host) and plug an instance namespace into the host like a VM')
    .requiredOption('--network <id>', 'network UUID')
    .requiredOption('--host <host>', 'host of the test bed, e.g. compute1')
    .option('--no-dhcp', 'configure the port\'s fixed IPs statically instead of running a DHCP client')
    .option('--wait <seconds>', 'wait this long for the DHCP lease', '0')
    .action(async (name: string, opts: { network: string; host: string; dhcp: boolean; wait: string }) => {
      needRoot();
      const bed = openTestbed(await reachableMetadataUrl());
      const vm = await bed.boot(name, { networkId: opts.network, host: opts.host, dhcp: opts.dhcp });
      process.stdout.write(formatBoot(vm));
      if (opts.dhcp && Number(opts.wait) > 0) {
        const lease = await bed.waitForLease(name, Number(opts.wait) * 1000);
        console.log(`lease: ${lease.ip}/${lease.mask}${lease.router ? ` via ${lease.router}` : ''}${lease.mtu ? `, mtu ${lease.mtu}` : ''}`);
      }
    });

  tb.command('exec <instance> <cmd...>')
    .description('run a command inside an instance, e.g. `neutrino testbed exec vm1 -- ping -c 1 10.0.0.3`')
    .action(async (instance: string, cmd: string[]) => {
      needRoot();
      const netns = openTestbed().instance(instance).netns;
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn(which('ip') ?? 'ip', ['netns', 'exec', netns, ...cmd], { stdio: 'inherit' });
        child.once('error', reject);
        child.once('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
      });
      process.exitCode = code;
    });

  tb.command('serve <instance>')
    .description('run a tiny HTTP server in the instance that answers its own name (a load balancer member); --stop ends it')
    .option('--port <port>', 'port it listens on', '80')
    .option('--stop', 'stop the instance\'s HTTP server (by its recorded PID)')
    .action(async (instance: string, opts: { port: string; stop?: boolean }) => {
      needRoot();
      const bed = openTestbed();
      if (opts.stop) {
        console.log((await bed.stopHttp(instance)) ? `HTTP server of ${instance} stopped` : `no HTTP server ran in ${instance}`);
        return;
      }
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port must be a TCP port (1-65535), not ${opts.port}`);
      const ref = await bed.serveHttp(instance, port);
      console.log(`HTTP server in ${instance} on port ${port} (pid ${ref.pid}) answers "${instance}"; stop it with  neutrino testbed serve ${instance} --stop`);
    });

  tb.command('destroy <instance>')
    .description('remove the instance (DHCP client, namespace, veth and tap) and delete its port')
    .action(async (instance: string) => {
      needRoot();
      const r = await openTestbed().destroy(instance);
      console.log(`instance ${instance} destroyed${r.portsDeleted.length ? `, port ${r.portsDeleted[0]} deleted` : ''}`);
      for (const w of r.warnings) console.error(`warning: ${w}`);
    });
}
