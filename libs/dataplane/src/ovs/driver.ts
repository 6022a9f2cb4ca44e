import { join } from 'node:path';
import { execArgv, type Exec } from '../driver/linux/exec';
import { diffFlows, type FlowDiff } from './flow-diff';
import { parseDumpFlows, renderFlow, renderStrictDelete, type OfFlow } from './flows';
import { BRIDGE_COLUMNS, INTERFACE_COLUMNS, PORT_COLUMNS, parseTopology, planTopology, type DesiredBridge, type OvsTopology, type TopologyPlan } from './topology';

export interface OvsDriverOptions {
  /** The run directory of the host's daemons: `db.sock` and the vswitchd's `<bridge>.mgmt` sockets are there. */
  runDir: string;
  /** Whose bridges, ports and flows these are: the `neutrino-owner` external id. */
  owner: string;
  /** The OpenFlow cookie of the owner's flows (`0x…`). */
  cookie: string;
  exec?: Exec;
  /** How long `ovs-vsctl` waits for the database and for ovs-vswitchd to apply a change (seconds). */
  timeoutSec?: number;
}

export interface FlowApplyResult extends FlowDiff {
  bridge: string;
}

export interface ReconcileResult {
  topology: string[];
  flows: FlowApplyResult[];
  /** Changes applied: topology lines + flows added + flows deleted. */
  applied: number;
}

/**
 * `ovs-vsctl` and `ovs-ofctl` bound to one host's daemons (its DB socket and
 * its vswitchd's OpenFlow management sockets). They talk over unix sockets, so
 * they run in whatever namespace the caller is in.
 */
export class OvsDriver {
  private readonly exec: Exec;
  readonly cookie: string;

  constructor(private readonly opts: OvsDriverOptions) {
    this.exec = opts.exec ?? execArgv;
    this.cookie = `0x${BigInt(opts.cookie).toString(16)}`;
  }

  get dbTarget(): string {
    return `unix:${join(this.opts.runDir, 'db.sock')}`;
  }

  /** The OpenFlow target of a bridge: its vswitchd management socket. */
  bridgeTarget(bridge: string): string {
    return `unix:${join(this.opts.runDir, `${bridge}.mgmt`)}`;
  }

  private async run(argv: string[], input?: string): Promise<string> {
    const r = await this.exec(argv, input);
    if (r.code !== 0) throw new Error(`${argv.slice(0, 4).join(' ')}… exited with ${r.code}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** ovs-vsctl against this host's DB; waits for ovs-vswitchd to apply a change unless `noWait`. */
  vsctl(args: string[], noWait = false): Promise<string> {
    return this.run(['ovs-vsctl', `--db=${this.dbTarget}`, `--timeout=${this.opts.timeoutSec ?? 10}`, ...(noWait ? ['--no-wait'] : []), ...args]);
  }

  ofctl(args: string[], input?: string): Promise<string> {
    return this.run(['ovs-ofctl', ...args], input);
  }

  async observeTopology(): Promise<OvsTopology> {
    const list = (table: string, cols: string[]) => this.vsctl(['--format=json', `--columns=${cols.join(',')}`, 'list', table], true);
    const [b, p, i] = await Promise.all([list('Bridge', BRIDGE_COLUMNS), list('Port', PORT_COLUMNS), list('Interface', INTERFACE_COLUMNS)]);
    return parseTopology(b, p, i);
  }

  async dumpFlows(bridge: string): Promise<OfFlow[]> {
    return parseDumpFlows(await this.ofctl(['--names', 'dump-flows', this.bridgeTarget(bridge)]));
  }

  async applyTopology(want: DesiredBridge[]): Promise<TopologyPlan> {
    const plan = planTopology(want, await this.observeTopology(), this.opts.owner);
    if (plan.args.length) await this.vsctl(plan.args);
    return plan;
  }

  /** Our flows on a bridge made equal to `desired` (deletions first, then one add-flows batch). */
  async applyFlows(bridge: string, desired: OfFlow[]): Promise<FlowApplyResult> {
    const d = diffFlows(desired, await this.dumpFlows(bridge), this.cookie);
    if (d.del.length) await this.ofctl(['--strict', 'del-flows', this.bridgeTarget(bridge), '-'], d.del.map((f) => `${renderStrictDelete(f)}\n`).join(''));
    if (d.add.length) await this.ofctl(['add-flows', this.bridgeTarget(bridge), '-'], d.add.map((f) => `${renderFlow(f)}\n`).join(''));
    return { bridge, ...d };
  }

  /** Bridges and ports first (a flow may name a port), then each bridge's flows. */
  async reconcile(bridges: DesiredBridge[], flows: Record<string, OfFlow[]>): Promise<ReconcileResult> {
    for (const name of Object.keys(flows)) if (!bridges.some((b) => b.name === name)) throw new Error(`flows for ${name}, which is not a desired bridge`);
    const topo = await this.applyTopology(bridges);
    const results: FlowApplyResult[] = [];
    for (const b of bridges) results.push(await this.applyFlows(b.name, flows[b.name] ?? []));
    return { topology: topo.changes, flows: results, applied: topo.changes.length + results.reduce((n, r) => n + r.add.length + r.del.length, 0) };
  }
}
