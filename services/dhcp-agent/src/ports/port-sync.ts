import { Coalescer, type AgentSource } from '@neutrino/agent-kit';
import type { Logger } from '@neutrino/observability';
import type { DhcpView } from '../view/dhcp-view';
import type { PortsApi } from './neutron-client';
import { actionKey, planDhcpPorts, type PortAction } from './port-plan';

export interface PortSyncOptions {
  logger: Logger;
  /** How long a request that succeeded is given to show up in the log before it is made again (default 15 s). */
  settleMs?: number;
  /** Pause before retrying after a failed request (default 2 s). */
  retryMs?: number;
  coalesceMs?: number;
  /** Plan the ports again this often, events or not (none by default). */
  resyncMs?: number;
}

/**
 * Keeps this agent's DHCP ports as planDhcpPorts() says, through the API.
 * It runs only once the view has caught up with the log (so a restarted
 * agent finds its port and creates nothing); a request that succeeded is not
 * repeated while the log has yet to show its result.
 *
 * A source of the dhcp-agent's runner: started after its first reconcile,
 * polled every `resyncMs`, stopped before it.
 */
export class DhcpPortSync implements AgentSource {
  private enabled = false;
  private retry?: NodeJS.Timeout;
  /** action key → when its request succeeded */
  private readonly inFlight = new Map<string, number>();
  private readonly coalescer: Coalescer;
  /** Requests made so far, by kind (for tests and logs). */
  readonly made = { create: 0, update: 0, delete: 0 };

  constructor(
    private readonly view: DhcpView,
    private readonly api: PortsApi,
    private readonly opts: PortSyncOptions,
  ) {
    this.coalescer = new Coalescer(() => this.run(), opts.coalesceMs ?? 10, (err) => opts.logger.error({ err }, 'DHCP port sync failed'));
  }

  start(): void {
    this.enabled = true;
    this.trigger();
  }

  get pollMs(): number {
    return this.opts.resyncMs ?? 0;
  }

  /** The periodic look: plan again (coalesced with the events' triggers). */
  async poll(): Promise<void> {
    this.trigger();
  }

  trigger(): void {
    if (this.enabled) this.coalescer.trigger();
  }

  settled(): Promise<void> {
    return this.coalescer.settled();
  }

  async stop(): Promise<void> {
    this.enabled = false;
    clearTimeout(this.retry);
    this.coalescer.stop();
    await this.coalescer.settled();
  }

  private async run(): Promise<void> {
    const now = Date.now();
    const actions = planDhcpPorts(this.view);
    const wanted = new Set(actions.map(actionKey));
    for (const [k, at] of this.inFlight) if (!wanted.has(k) || now - at > (this.opts.settleMs ?? 15_000)) this.inFlight.delete(k);
    let failed = false;
    for (const a of actions) {
      const key = actionKey(a);
      if (this.inFlight.has(key) || !this.enabled) continue;
      try {
        await this.perform(a);
        this.inFlight.set(key, Date.now());
        this.made[a.kind]++;
      } catch (err) {
        failed = true;
        this.opts.logger.warn({ err, action: a.kind, network: a.networkId }, 'DHCP port request failed; will retry');
      }
    }
    if (failed && this.enabled) {
      clearTimeout(this.retry);
      this.retry = setTimeout(() => this.trigger(), this.opts.retryMs ?? 2000);
    }
  }

  private async perform(a: PortAction): Promise<void> {
    const log = this.opts.logger;
    switch (a.kind) {
      case 'create': {
        const p = await this.api.createPort(a.port);
        log.info({ network: a.networkId, port: p.id, ips: p.fixed_ips.map((f) => f.ip_address) }, 'created DHCP port');
        return;
      }
      case 'update':
        await this.api.updatePort(a.portId, { fixed_ips: a.fixedIps });
        log.info({ network: a.networkId, port: a.portId }, 'DHCP port: address on a new subnet');
        return;
      case 'delete':
        await this.api.deletePort(a.portId);
        log.info({ network: a.networkId, port: a.portId }, 'deleted DHCP port');
        return;
    }
  }
}
