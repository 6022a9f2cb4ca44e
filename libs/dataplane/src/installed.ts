import type { Change } from './diff/changes';
import type { ApplyResult, Driver, Scope } from './driver/driver';
import { MemoryDriver } from './driver/memory/memory-driver';
import type { HostState, ManagedProcess } from './model/types';

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

  /** Whether the model can stand in for an observe of the host. */
  get known(): boolean {
    return !!this.model;
  }

  /** Start again from what a full observe of the host found. */
  adopt(observed: HostState): void {
    this.model = new MemoryDriver({ ...observed, processes: [] });
    this.processes = structuredClone(observed.processes);
    this.processesStale = false;
  }

  forget(): void {
    this.model = undefined;
  }

  /** The installed state within a scope, as an observe of the host would report it. */
  async observe(scope: Scope, driver: Driver): Promise<HostState> {
    if (!this.model) throw new Error('installed state unknown: observe the host');
    const state = await this.model.observe(scope);
    if (this.processesStale) {
      this.processes = driver.observeProcesses ? await driver.observeProcesses() : (await driver.observe(scope)).processes;
      this.processesStale = false;
    }
    state.processes = structuredClone(this.processes);
    return state;
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
