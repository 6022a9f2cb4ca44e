import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProcessRef } from './pids';
import type { TopologyPlan } from './topology';

/**
 * The state directory of one test bed: everything it made is written here
 * *before* it is made, so `down()` can remove it after any failure or crash.
 *
 *   state.json               the topology plan, namespaces, agent processes
 *   pids                     the agent processes again, as "pid starttime" lines
 *   instances/<name>.json    one booted instance (port, namespace, DHCP client)
 *   instances/<name>/        its DHCP client's pid file, log, lease, resolv.conf
 *   logs/                    agent output
 */
export interface TestbedState {
  version: 1;
  id: string;
  prefix: string;
  phase: 'creating' | 'up';
  createdAt: string;
  ownerPid: number;
  apiUrl: string | null;
  plan: TopologyPlan;
  /** Namespaces of the topology, recorded before they are created. */
  netns: string[];
  /** Processes the test bed started (agents), by PID and start time. */
  processes: ProcessRef[];
}

export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

export interface InstanceRecord {
  name: string;
  netns: string;
  host: string;
  hostNetns: string;
  networkId: string;
  deviceId: string;
  phase: 'creating' | 'up';
  apiUrl: string | null;
  portId: string | null;
  tap: string | null;
  mac: string | null;
  mtu: number | null;
  fixedIps: FixedIp[];
  dhcp: boolean;
  dhcpClient: ProcessRef | null;
  createdAt: string;
}

export class StateDir {
  constructor(readonly dir: string) {}

  get stateFile(): string {
    return path.join(this.dir, 'state.json');
  }

  instanceDir(name: string): string {
    return path.join(this.dir, 'instances', name);
  }

  get logsDir(): string {
    return path.join(this.dir, 'logs');
  }

  readState(): TestbedState | null {
    return readJson<TestbedState>(this.stateFile);
  }

  writeState(state: TestbedState): void {
    writeJsonAtomic(this.stateFile, state);
    // The same processes as plain "pid starttime" lines, for the fixture's shell watchdog.
    const pids = path.join(this.dir, 'pids');
    fs.writeFileSync(`${pids}.tmp`, state.processes.map((p) => `${p.pid} ${p.startTime}\n`).join(''));
    fs.renameSync(`${pids}.tmp`, pids);
  }

  updateState(change: (s: TestbedState) => void): TestbedState {
    const s = this.readState();
    if (!s) throw new Error(`no test bed in ${this.dir}`);
    change(s);
    this.writeState(s);
    return s;
  }

  readInstance(name: string): InstanceRecord | null {
    return readJson<InstanceRecord>(path.join(this.dir, 'instances', `${name}.json`));
  }

  writeInstance(rec: InstanceRecord): void {
    writeJsonAtomic(path.join(this.dir, 'instances', `${rec.name}.json`), rec);
  }

  removeInstance(name: string): void {
    fs.rmSync(path.join(this.dir, 'instances', `${name}.json`), { force: true });
    fs.rmSync(this.instanceDir(name), { recursive: true, force: true });
  }

  instances(): InstanceRecord[] {
    const dir = path.join(this.dir, 'instances');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => readJson<InstanceRecord>(path.join(dir, f)))
      .filter((r): r is InstanceRecord => !!r);
  }

  /** Forgets everything (after a complete `down()`); the directory itself stays. */
  clear(): void {
    for (const entry of ['state.json', 'pids', 'instances', 'logs', 'udhcpc.script', 'ovs']) fs.rmSync(path.join(this.dir, entry), { recursive: true, force: true });
  }
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`unreadable test bed state ${file}: ${(err as Error).message}`);
  }
}

function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
