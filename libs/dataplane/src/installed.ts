import type { Change } from './diff/changes';
import type { ApplyResult, Driver, Scope } from './driver/driver';
import { MemoryDriver } from './driver/memory/memory-driver';
import type { HostState, Link, ManagedProcess } from './model/types';
import { linkKey } from './model/keys';
import { ownsLink, type Ownership } from './model/ownership';
import { observeMemory, observeMemoryKeys } from './driver/memory/observe';
import type { ObjectKey } from './diff/scoped';

/**
 * What an agent last installed on its host, as the host would report it
 * (Felix's dataplane hashes, ovn-controller's installed table): a model of
 * the host (the memory driver's kernel) loaded from a full observe and moved
 * forward by every change the real driver applied. A reconcile diffs its
 * desired state against this instead of reading the whole host again.
 *
 * It is forgotten (unknown, so the next reconcile observes the host) when an
 * apply failed — the host's state is then not what the model says — or when
 * the model itself refuses a change the host took. Processes are read back
 * from the host after a change to one of them (their pids are the kernel's).
 */
export class InstalledState {
  private model?: MemoryDriver;
  private processes: ManagedProcess[] = [];
  private processesStale = false;
  /**
   * The desired state (by object) the host was last brought to in full — every
   * change applied, nothing unresolved: objects whose desired form is the same
   * since need no look at all. Undefined = diff everything. It holds the desired
   * objects themselves (compared by identity first, then by value): a desired
   * state must not be mutated after it was reconciled.
   */
  converged?: Map<ObjectKey, unknown>;

  /** Whether the model can stand in for an observe of the host. */
  get known(): boolean {
    return !!this.model;
  }

  /** Start again from what a full observe of the host found. */
  adopt(observed: HostState): void {
    this.model = new MemoryDriver({ ...observed, processes: [] });
    this.processes = structuredClone(observed.processes);
    this.processesStale = false;
    this.converged = undefined;
  }

  /**
   * Start from a state persisted by an earlier run (see snapshot) instead of a full observe: the
   * caller vouches that the host is the one it was taken from. Processes are read back from the host.
   */
  trust(persisted: HostState): void {
    this.adopt({ ...persisted, processes: [] });
    this.processesStale = true;
  }

  /** Everything the model holds (ours and others', every namespace it knows), to persist; undefined when unknown. */
  snapshot(ownership: Ownership): HostState | undefined {
    if (!this.model) return undefined;
    const k = this.model.kernel;
    const state = observeMemory(k, { ownership, namespaces: [...k.namespaces].filter(Boolean), tc: true });
    state.processes = [];
    return state;
  }

  forget(): void {
    this.model = undefined;
    this.converged = undefined;
  }

  /** The installed state within a scope, as an observe of the host would report it. */
  async observe(scope: Scope, driver: Driver): Promise<HostState> {
    if (!this.model) throw new Error('installed state unknown: observe the host');
    const state = await this.model.observe(scope);
    await this.refreshProcesses(scope, driver);
    state.processes = structuredClone(this.processes);
    return state;
  }

  /**
   * Take the host namespace's devices that are not ours (a hypervisor's taps, NICs) as
   * the host reports them now: what a link event may have changed, without a full observe.
   */
  refreshForeignLinks(links: Link[], ownership: Ownership): void {
    if (!this.model) return;
    const k = this.model.kernel;
    const now = new Map(links.filter((l) => !ownsLink(ownership, l.name)).map((l) => [linkKey({ name: l.name }), l]));
    for (const [key, l] of k.links) if (!l.netns && !ownsLink(ownership, l.name) && !now.has(key)) k.links.delete(key);
    for (const [key, l] of now) {
      const { owned: _o, ...rest } = l;
      k.links.set(key, { up: false, master: null, addresses: [], ...structuredClone(rest), netns: '' });
    }
    this.converged = undefined;
  }

  /** The installed objects with these keys (see diff/scoped), as an observe of the host would report them. */
  async observeKeys(scope: Scope, keys: Set<ObjectKey>, driver: Driver): Promise<HostState> {
    if (!this.model) throw new Error('installed state unknown: observe the host');
    const state = observeMemoryKeys(this.model.kernel, scope, keys);
    await this.refreshProcesses(scope, driver);
    state.processes = structuredClone(this.processes.filter((p) => keys.has(`proc:${p.id}`)));
    return state;
  }

  private async refreshProcesses(scope: Scope, driver: Driver): Promise<void> {
    if (!this.processesStale) return;
    this.processes = driver.observeProcesses ? await driver.observeProcesses() : (await driver.observe(scope)).processes;
    this.processesStale = false;
  }

  /** Move the model forward by what the host applied; forget it unless every change was applied here and there. */
  async record(changes: Change[], result: ApplyResult): Promise<void> {
    if (!this.model) return;
    if (result.failed) return this.forget();
    const hostChanges = changes.filter((c) => !c.kind.startsWith('process.'));
    if (hostChanges.length !== changes.length) this.processesStale = true;
    if (!hostChanges.length) return;
    const mine = await this.model.apply(hostChanges);
    if (mine.failed) this.forget();
  }
}
