import * as fs from 'node:fs';
import * as path from 'node:path';
import { ManagedProcess, type ProcessSpec } from '@neutrino/process';
import { processRef } from './pids';
import { binary } from './run';
import type { StateDir } from './state';
import type { HostInfo, TopologyPlan } from './topology';

/** One agent process for one host of the test bed. */
export interface AgentSpec {
  /** Unique on its host, e.g. "l2-agent". */
  name: string;
  command: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Run it inside the host's namespace via `ip netns exec` (default true); false: in the caller's namespace. */
  inHostNetns?: boolean;
  /** Restart after a crash (default true, as ManagedProcess does). */
  restart?: boolean;
  /** Output lines; default: appended to <stateDir>/logs/<host>.<name>.log. */
  output?: ProcessSpec['output'];
}

/** Per host name, or computed from each host's facts (netns, underlay IP, interfaces). Nothing given: no agents. */
export type AgentsOption = Record<string, AgentSpec[]> | ((host: HostInfo, plan: TopologyPlan) => AgentSpec[]);

/** The facts of a host as environment variables, for agents configured through their environment. */
export const hostEnv = (host: HostInfo): Record<string, string> => ({
  NEUTRINO_TESTBED_HOST: host.name,
  NEUTRINO_TESTBED_NETNS: host.netns,
  NEUTRINO_TESTBED_NETNS_PREFIX: host.netnsPrefix,
  NEUTRINO_TESTBED_LOCAL_IP: host.underlayIp,
  NEUTRINO_TESTBED_PHYSICAL_INTERFACE_MAPPINGS: host.physicalInterfaceMappings,
  NEUTRINO_TESTBED_EXTERNAL_INTERFACE: host.externalInterface ?? '',
  NEUTRINO_TESTBED_L2_MECHANISM: host.mechanism,
  NEUTRINO_TESTBED_OVS_RUN_DIR: host.ovsRunDir ?? '',
});

export interface RunningAgent {
  host: string;
  name: string;
  process: ManagedProcess;
}

/** Starts every agent through ManagedProcess and keeps its current PID in the state file. */
export class AgentSupervisor {
  readonly agents: RunningAgent[] = [];
  private readonly logs: fs.WriteStream[] = [];

  constructor(private readonly dir: StateDir) {}

  start(plan: TopologyPlan, option: AgentsOption | undefined): void {
    if (!option) return;
    const unknown = typeof option === 'function' ? [] : Object.keys(option).filter((h) => !plan.hosts.some((x) => x.name === h));
    if (unknown.length) throw new Error(`agents given for unknown hosts: ${unknown.join(', ')}`);
    for (const host of plan.hosts) {
      const specs = typeof option === 'function' ? option(host, plan) : (option[host.name] ?? []);
      for (const spec of specs) this.startOne(host, spec);
    }
  }

  private startOne(host: HostInfo, spec: AgentSpec): void {
    if (this.agents.some((a) => a.host === host.name && a.name === spec.name)) throw new Error(`agent ${spec.name} given twice for ${host.name}`);
    const label = `agent ${host.name}/${spec.name}`;
    const wrapped = spec.inHostNetns ?? true;
    const mp = new ManagedProcess({
      name: `${host.name}/${spec.name}`,
      command: wrapped ? binary('ip', 'iproute2') : spec.command,
      args: wrapped ? ['netns', 'exec', host.netns, spec.command, ...(spec.args ?? [])] : (spec.args ?? []),
      env: spec.env,
      restart: spec.restart,
      output: spec.output ?? this.logTo(`${host.name}.${spec.name}.log`),
    });
    mp.on('spawn', (pid: number) => {
      const ref = processRef(pid, label);
      try {
        this.dir.updateState((s) => {
          s.processes = [...s.processes.filter((p) => p.label !== label), ...(ref ? [ref] : [])];
        });
      } catch {
        /* the test bed is being taken down; down() sweeps its namespaces anyway */
      }
    });
    mp.on('error', () => undefined); // a failed spawn shows as an exit; ManagedProcess retries
    this.agents.push({ host: host.name, name: spec.name, process: mp });
    mp.start();
  }

  private logTo(file: string): ProcessSpec['output'] {
    fs.mkdirSync(this.dir.logsDir, { recursive: true });
    const stream = fs.createWriteStream(path.join(this.dir.logsDir, file), { flags: 'a' });
    this.logs.push(stream);
    return (line, which) => stream.write(`${which === 'stderr' ? '! ' : ''}${line}\n`);
  }

  async stop(): Promise<void> {
    for (const a of this.agents) a.process.holdRestarts();
    await Promise.all(this.agents.map((a) => a.process.stop(5000)));
    this.agents.length = 0;
    await Promise.all(this.logs.splice(0).map((s) => new Promise((r) => s.end(r))));
  }
}
