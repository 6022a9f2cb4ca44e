import { loadEntrypoints } from '@neutrino/process';
import { TestbedFixture, type AgentSpec, type HostInfo } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';

const entrypoints = loadEntrypoints() as ReturnType<typeof loadEntrypoints> & { services: Record<string, string> };

/** The agents every host of the test bed runs, configured from the host's facts, talking to the suite's NATS. */
export function hostAgents(natsUrl: string, dataDir: string, names: string[] = ['l2-agent']) {
  return (host: HostInfo): AgentSpec[] =>
    names.map((name) => ({
      name,
      command: process.execPath,
      args: ['--max-semi-space-size=2', '-r', entrypoints.register, entrypoints.services[name]],
      inHostNetns: false,
      env: {
        NEUTRINO_NATS_URL: natsUrl,
        NEUTRINO_DATA_DIR: dataDir,
        NEUTRINO_HOST: host.name,
        NEUTRINO_HOST_NETNS: host.netns,
        NEUTRINO_LOCAL_IP: host.underlayIp,
        NEUTRINO_TUNNEL_INTERFACE: host.underlayInterface,
        NEUTRINO_PHYSICAL_INTERFACE_MAPPINGS: host.physicalInterfaceMappings,
        NEUTRINO_DATAPLANE_DRIVER: 'linux',
        NEUTRINO_LOG_LEVEL: 'info',
      },
    }));
}

/** Suite + test bed with agents, torn down in reverse. */
export async function startWorld(agentNames?: string[]): Promise<{ fx: SuiteFixture; bed: TestbedFixture; stop: () => Promise<void> }> {
  const fx = await SuiteFixture.start();
  let bed: TestbedFixture | undefined;
  try {
    bed = await TestbedFixture.create({ apiUrl: fx.suite.apiUrl, agents: hostAgents(fx.nats.url, fx.dataDir, agentNames) });
  } catch (err) {
    await fx.stop();
    throw err;
  }
  return {
    fx,
    bed,
    stop: async () => {
      await bed?.dispose();
      await fx.stop();
    },
  };
}

export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
