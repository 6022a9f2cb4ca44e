import { AgentSupervisor, type AgentsOption, type RunningAgent } from './agents';
import { buildTopology } from './build-topology';
import { ensureScript, readLease, type Lease } from './dhcp-client';
import { bootInstance, destroyInstance, waitForLease, type BootOptions, type Instance } from './instance';
import { readHttpServer, startHttpServer, stopHttpServer } from './http-server';
import { execIn, listNetns } from './netns';
import { computeChecksums, ovsRunDirOf, startHostOvs } from './ovs-hosts';
import { newTestbedId } from './names';
import { EXTERNAL_PHYSNET } from './suite-agents';
import type { ProcessRef } from './pids';
import { NeutronClient } from './neutron-client';
import type { RunResult } from './run';
import { StateDir, type TestbedState } from './state';
import { collectStatus, type TestbedStatus } from './status';
import { teardown, type TeardownReport } from './teardown';
import { planTopology, topologyNetns, type HostInfo, type HostSpec, type L2Mechanism, type TopologyPlan } from './topology';

export interface TestbedOptions {
  /** Where the test bed records what it made (the CLI uses NEUTRINO_DATA_DIR/testbed). */
  stateDir: string;
  /** Base URL of the Neutron API (e.g. http://127.0.0.1:9696); needed by boot() and to delete ports. */
  apiUrl?: string;
  /** Headers for the API calls (noauth: none means admin). */
  apiHeaders?: Record<string, string>;
  /** The metadata service (e.g. http://127.0.0.1:8775): boot() registers each instance there (POST /instances). */
  metadataUrl?: string;
}

export interface UpOptions {
  /** The test bed id; namespaces are named nt<id>-… (default: random). */
  id?: string;
  /** Default: network1 (network node), compute1, compute2. */
  hosts?: HostSpec[];
  underlayMtu?: number;
  /**
   * The l2 mechanism of the compute hosts (default linuxbridge). With openvswitch each of them gets its
   * own ovsdb-server and ovs-vswitchd (started before the agents, stopped by PID at down()).
   */
  mechanism?: L2Mechanism;
  /** The l2 mechanism of the network hosts (default linuxbridge); openvswitch: every host on OVS, the dhcp-agent and l3-agent unchanged. */
  networkMechanism?: L2Mechanism;
  /** Agent processes per host (none by default). */
  agents?: AgentsOption;
}

/**
 * The namespace test bed: a fabric, hosts, an internet namespace, and
 * instances plugged into hosts the way a hypervisor plugs a VM. Every object
 * is recorded in the state directory before it is created, so `down()` (from
 * this process or any later one) removes everything.
 */
export class Testbed {
  readonly dir: StateDir;
  private supervisor: AgentSupervisor | null = null;

  constructor(readonly opts: TestbedOptions) {
    this.dir = new StateDir(opts.stateDir);
  }

  /** The recorded state, or null when nothing is up. */
  get state(): TestbedState | null {
    return this.dir.readState();
  }

  get plan(): TopologyPlan {
    const s = this.state;
    if (!s) throw new Error(`no test bed is up in ${this.dir.dir}`);
    return s.plan;
  }

  get prefix(): string {
    return this.plan.prefix;
  }

  host(name: string): HostInfo {
    const h = this.plan.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no host "${name}" in the test bed`);
    return h;
  }

  /** The agents this process started with up({ agents }). */
  get agents(): readonly RunningAgent[] {
    return this.supervisor?.agents ?? [];
  }

  async up(opts: UpOptions = {}): Promise<TestbedState> {
    const existing = this.state;
    if (existing) throw new Error(`test bed ${existing.id} (${existing.phase}) is recorded in ${this.dir.dir}: run down first`);
    const plan = planTopology({ id: opts.id ?? newTestbedId(), hosts: opts.hosts, underlayMtu: opts.underlayMtu, mechanism: opts.mechanism, networkMechanism: opts.networkMechanism });
    for (const h of plan.hosts) if (h.mechanism === 'openvswitch') h.ovsRunDir = ovsRunDirOf(this.dir.dir, h.name);
    const clash = (await listNetns()).filter((n) => n.startsWith(plan.prefix));
    if (clash.length) throw new Error(`namespaces with prefix ${plan.prefix} exist already: ${clash.join(', ')}`);
    const state: TestbedState = {
      version: 1,
      id: plan.id,
      prefix: plan.prefix,
      phase: 'creating',
      createdAt: new Date().toISOString(),
      ownerPid: process.pid,
      apiUrl: this.opts.apiUrl ?? null,
      plan,
      netns: topologyNetns(plan),
      processes: [],
    };
    this.dir.writeState(state);
    try {
      await buildTopology(plan);
      // recorded in the state (the plan's run directories) before they start: down() stops them by their pid files
      for (const h of plan.hosts) if (h.ovsRunDir) await startHostOvs(h, plan, EXTERNAL_PHYSNET);
      if (plan.hosts.some((h) => h.ovsRunDir)) {
        for (const h of plan.hosts)
          for (const dev of [h.underlayInterface, ...Object.values(h.physicalInterfaces), ...(h.externalInterface ? [h.externalInterface] : [])]) await computeChecksums(h.netns, dev);
        await computeChecksums(plan.internet.netns, plan.internet.interface);
      }
      ensureScript(this.dir.dir);
      this.dir.updateState((s) => (s.phase = 'up'));
      this.supervisor = new AgentSupervisor(this.dir);
      this.supervisor.start(plan, opts.agents);
    } catch (err) {
      await this.down().catch(() => undefined);
      throw err;
    }
    return this.dir.readState() as TestbedState;
  }

  /** Stops the agents, kills every recorded process, deletes every instance (and its port, best effort) and namespace. */
  async down(opts: { deletePorts?: boolean } = {}): Promise<TeardownReport> {
    await this.supervisor?.stop();
    this.supervisor = null;
    return teardown(this.dir, { deletePorts: opts.deletePorts, apiUrl: this.opts.apiUrl ?? null });
  }

  status(): Promise<TestbedStatus> {
    return collectStatus(this.dir);
  }

  boot(name: string, opts: BootOptions): Promise<Instance> {
    const state = this.state;
    if (state?.phase !== 'up') throw new Error(`no test bed is up in ${this.dir.dir}`);
    const apiUrl = this.opts.apiUrl ?? state.apiUrl;
    if (!apiUrl) throw new Error('boot needs the Neutron API URL (TestbedOptions.apiUrl)');
    return bootInstance({ dir: this.dir, state, client: new NeutronClient(apiUrl, { headers: this.opts.apiHeaders }), metadataUrl: this.opts.metadataUrl }, name, opts);
  }

  /** Removes the instance's DHCP client, namespace (with its veth and tap) and port. */
  async destroy(instance: string): Promise<TeardownReport> {
    return destroyInstance(this.dir, instance, { apiUrl: this.opts.apiUrl });
  }

  instance(name: string): Instance {
    const rec = this.dir.readInstance(name);
    if (!rec) throw new Error(`no instance "${name}"`);
    return rec;
  }

  instances(): Instance[] {
    return this.dir.instances();
  }

  lease(instance: string): Lease | null {
    return readLease(this.dir.instanceDir(this.instance(instance).name));
  }

  waitForLease(instance: string, timeoutMs = 30_000): Promise<Lease> {
    return waitForLease(this.dir, this.instance(instance).name, timeoutMs);
  }

  /** Starts a tiny HTTP server in the instance answering its own name (a load balancer's member); stopped by PID. */
  serveHttp(instance: string, port = 80): Promise<ProcessRef> {
    const vm = this.instance(instance);
    return startHttpServer(vm.netns, this.dir.instanceDir(vm.name), vm.name, port);
  }

  /** Stops the instance's HTTP server (false: none ran). */
  stopHttp(instance: string): Promise<boolean> {
    return stopHttpServer(this.dir.instanceDir(this.instance(instance).name));
  }

  /** The instance's HTTP server, if one runs. */
  httpServer(instance: string): (ProcessRef & { port: number }) | null {
    return readHttpServer(this.dir.instanceDir(this.instance(instance).name));
  }

  /** Runs argv inside the instance (execFile through `ip netns exec`, no shell); never throws on a non-zero exit. */
  exec(instance: string, argv: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
    return execIn(this.instance(instance).netns, argv, opts);
  }

  /** Runs argv inside a host's namespace. */
  execHost(host: string, argv: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
    return execIn(this.host(host).netns, argv, opts);
  }

  /** Runs argv inside the internet namespace (203.0.113.1, the physical gateway). */
  execInternet(argv: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
    return execIn(this.plan.internet.netns, argv, opts);
  }
}
