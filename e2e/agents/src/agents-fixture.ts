import { TestbedFixture, suiteAgents, type HostInfo, type L2Mechanism } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';

/** Suite + test bed with agents, torn down in reverse; `mechanism`: the compute hosts' l2 mechanism (default linuxbridge). */
export async function startWorld(perHost?: (host: HostInfo) => string[], mechanism?: L2Mechanism): Promise<{ fx: SuiteFixture; bed: TestbedFixture; stop: () => Promise<void> }> {
  const fx = await SuiteFixture.start();
  let bed: TestbedFixture | undefined;
  try {
    bed = await TestbedFixture.create({
      apiUrl: fx.suite.apiUrl,
      mechanism,
      agents: suiteAgents(fx.nats.url, fx.dataDir, perHost, { NEUTRINO_LOG_LEVEL: 'info', NEUTRINO_AGENT_REPORT_INTERVAL_MS: '1000', NEUTRINO_AGENT_RESYNC_INTERVAL_MS: '2000' }),
    });
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
