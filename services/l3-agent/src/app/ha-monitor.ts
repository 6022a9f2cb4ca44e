import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { decideHaPortBinding, decideHaStateReport, evolvePlacement, evolvePort, evolveRouter, type Decided, type Port, type Router, type RouterPlacement } from '@neutrino/domain';
import type { AgentSource } from '@neutrino/agent-kit';
import type { EventStore, StoredEvent } from '@neutrino/events';
import { appendDecided } from './append-decided';
import type { Logger } from '@neutrino/observability';
import { haVip } from '../desired/keepalived';
import type { RouterPlan } from '../desired/router-plan';
import { ROUTER_GATEWAY_OWNER as ROUTER_GATEWAY, ROUTER_INTERFACE_OWNER as ROUTER_INTERFACE } from '@neutrino/naming';
import { L3View, type HaState } from '../view/l3-view';

const run = promisify(execFile);

/** Does this member hold the VRRP virtual address (= is it master)? undefined: the namespace or device is not there. */
export type VipProbe = (netns: string, dev: string, vip: string) => Promise<boolean | undefined>;

export const linuxVipProbe: VipProbe = async (netns, dev, vip) => {
  try {
    const { stdout } = await run('ip', ['-n', netns, '-o', '-4', 'addr', 'show', 'dev', dev]);
    return stdout.includes(` ${vip} `);
  } catch {
    return undefined;
  }
};

/**
 * Watches keepalived's outcome for the HA routers of this host: the member
 * holding the virtual IP on its ha- device is active, the others standby.
 * A change is reported as router.ha_state_reported; the active member also
 * binds the router's interface and gateway ports to its host, so the
 * l2-agents wire its taps and point the other hosts' forwarding entries at
 * it (spec/l2.md §7.5).
 *
 * A probe source of the l3-agent's runner: the runner starts polling it
 * every `pollMs` after its first reconcile and stops it before itself.
 */
export class HaMonitor implements AgentSource {
  private running?: Promise<void>;
  /** what this monitor appended and the view does not show yet, so it is not appended again while the log catches up */
  private readonly sent = new Map<string, string>();
  /** router → the state the last look found here */
  private readonly probed = new Map<string, HaState>();

  constructor(
    private readonly store: EventStore,
    private readonly view: L3View,
    private readonly plans: () => RouterPlan[],
    private readonly opts: { logger: Logger; binary: string; pollMs: number; probe?: VipProbe },
  ) {}

  get pollMs(): number {
    return this.opts.pollMs;
  }

  poll(): Promise<void> {
    return this.pollOnce();
  }

  async stop(): Promise<void> {
    await this.running;
  }

  /** One look at every HA router here (serialised: a slow look is not overtaken). */
  pollOnce(): Promise<void> {
    if (!this.running) this.running = this.look().catch((err) => this.opts.logger.warn({ err }, 'HA state poll failed')).finally(() => (this.running = undefined));
    return this.running;
  }

  private async look(): Promise<void> {
    const host = this.view.host;
    for (const r of this.plans()) {
      if (!r.ha) continue;
      const holds = await (this.opts.probe ?? linuxVipProbe)(r.netns, r.ha.port.dev, haVip(r.ha.vrid));
      if (holds === undefined) continue;
      const state: HaState = holds ? 'active' : 'standby';
      const known = this.view.haStates.get(r.id)?.get(host);
      const key = `state:${r.id}`;
      // what was sent is in the log now: forget it, so the same transition later is reported again
      if (known === state) this.sent.delete(key);
      if (known !== state && this.sent.get(key) !== `${state}@${known}`) {
        await this.appendDecided({ type: 'router', id: r.id }, (events) => {
          let router: Router | undefined;
          let placement: RouterPlacement | undefined;
          for (const e of events) [router, placement] = [evolveRouter(router, e), evolvePlacement(placement, e)];
          return decideHaStateReport(!!router, placement, r.id, host, state);
        });
        this.sent.set(key, `${state}@${known}`);
        this.opts.logger.info({ router: r.id, ha_state: state }, `HA router is ${state} here`);
      }
      const ports = [...this.view.portsOf(r.id, ROUTER_INTERFACE), ...this.view.portsOf(r.id, ROUTER_GATEWAY)];
      // a new term as master binds the ports again, whatever was sent in an earlier one
      if (this.probed.get(r.id) !== state) for (const p of ports) this.sent.delete(`bind:${p.id}`);
      this.probed.set(r.id, state);
      if (state !== 'active') continue;
      for (const p of ports) {
        const bkey = `bind:${p.id}`;
        if (p['binding:host_id'] === host || this.sent.get(bkey) === `${host}@${p['binding:host_id']}`) continue;
        await this.appendDecided({ type: 'port', id: p.id }, (events) => {
          let port: Port | undefined;
          for (const e of events) port = evolvePort(port, e);
          return decideHaPortBinding(port, r.id, host);
        });
        this.sent.set(bkey, `${host}@${p['binding:host_id']}`);
      }
    }
  }

  private async appendDecided(aggregate: { type: string; id: string }, decide: (events: StoredEvent[]) => Decided<string, unknown> | null): Promise<void> {
    const actor = { user_id: `agent:${this.opts.binary}@${this.view.host}`, project_id: null, roles: ['service'] };
    await appendDecided(this.store, actor, aggregate, (events) => {
      const d = decide(events);
      return d ? [d] : null;
    });
  }
}
