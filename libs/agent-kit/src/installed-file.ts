import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Driver, HostState, InstalledState, Ownership, Scope } from '@neutrino/dataplane';
import type { Logger } from '@neutrino/observability';

/** An agent's installed state as persisted after it converged, with what identified the host then. */
export interface PersistedInstalled {
  format: 1;
  agent: string;
  identity: string;
  state: HostState;
}

/** The persisted installed state, or undefined when there is none (or it is not this agent's, or unreadable). */
export async function loadInstalled(file: string, agent: string): Promise<PersistedInstalled | undefined> {
  try {
    const p = JSON.parse(await readFile(file, 'utf8')) as PersistedInstalled;
    return p.format === 1 && p.agent === agent && typeof p.identity === 'string' && p.state ? p : undefined;
  } catch {
    return undefined;
  }
}

/** Write it whole or not at all (a temporary file renamed over the old one); `commit` false at the last moment leaves the old one. */
export async function saveInstalled(file: string, data: PersistedInstalled, commit: () => boolean = () => true): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(data));
  if (commit()) await rename(tmp, file);
  else await rm(tmp, { force: true });
}

export const dropInstalled = (file: string): Promise<void> => rm(file, { force: true });

/**
 * An agent's installed state kept on disk between runs (see AgentOptions.installedStateFile): trusted at
 * start when the driver's identity of the host is the one it was written with; written after the host
 * converged (a timer, skipped while a reconcile runs); dropped before any change is applied — a write
 * that saw an apply begin meanwhile gives up, so the file never holds a state the host has left.
 */
export class InstalledStateFile {
  /** counts applies; a write that saw it move gives up (what it read may be gone) */
  private epoch = 0;
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  /** the scope of the last reconcile, when it left the host converged (all applied, nothing unresolved); a function is asked when writing */
  private convergedScope?: Scope | (() => Scope);

  constructor(
    private readonly file: string,
    private readonly agent: string,
    private readonly installed: InstalledState,
    private readonly driver: Driver,
    private readonly ownership: Ownership,
    /** whether a reconcile is running (the installed state may be half moved) */
    private readonly busy: () => boolean,
    private readonly logger: Logger,
  ) {}

  /** At start: take the persisted installed state if the host is still the one it was written on. */
  async trust(scope: Scope): Promise<boolean> {
    if (!this.driver.identity || this.installed.known) return false;
    const [persisted, identity] = await Promise.all([loadInstalled(this.file, this.agent), this.driver.identity(scope)]);
    if (!persisted || !identity || persisted.identity !== identity) return false;
    this.installed.trust(persisted.state);
    return true;
  }

  /** Before an apply: no file until the host converged again. */
  async drop(): Promise<void> {
    this.epoch++;
    this.convergedScope = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    await dropInstalled(this.file);
  }

  /** After a reconcile: write within `ms` if it left the host converged (`scope` given, or how to compute it), else not. */
  reconciled(scope: Scope | (() => Scope) | undefined, ms: number): void {
    this.convergedScope = scope;
    if (scope) this.schedule(ms);
  }

  /** On stop: write what is due now, and wait for it. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.write();
    }
    await this.writing;
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, ms);
  }

  private write(): void {
    const scope = typeof this.convergedScope === 'function' ? this.convergedScope() : this.convergedScope;
    const identityOf = this.driver.identity?.bind(this.driver);
    if (!identityOf || !scope || !this.installed.known) return;
    if (this.busy()) return this.schedule(200);
    const epoch = this.epoch;
    this.writing = this.writing
      .then(async () => {
        const identity = await identityOf(scope);
        if (!identity || epoch !== this.epoch) return;
        if (this.busy()) return this.schedule(200);
        // synchronous from here to the write: no reconcile can move the installed state in between
        const state = this.installed.snapshot(this.ownership);
        if (!state) return;
        await saveInstalled(this.file, { format: 1, agent: this.agent, identity, state }, () => epoch === this.epoch);
      })
      .catch((err) => this.logger.warn({ err }, 'could not persist the installed state'));
  }
}
