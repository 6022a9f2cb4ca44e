import type { Change } from '../diff/changes';
import type { Ownership } from '../model/ownership';
import type { HostState, Link, ManagedProcess } from '../model/types';

/** What to look at when observing a host. */
export interface Scope {
  ownership: Ownership;
  /** foreign namespaces to observe as well (veth peers, namespaces a desired state names) */
  namespaces?: string[];
  /** sysctl keys to read in every observed namespace */
  sysctlKeys?: string[];
  /** read the devices' traffic control too (set when a desired state has some: scopeFor) */
  tc?: boolean;
}

export interface ApplyError {
  /** the changes the failed command carried */
  changes: Change[];
  /** the command, as text, for logs */
  command: string;
  message: string;
}

export interface ApplyResult {
  /** changes whose command succeeded */
  applied: number;
  failed: number;
  errors: ApplyError[];
  durationMs: number;
}

/** A host's dataplane: the real kernel (linux) or a model of it (memory). */
export interface Driver {
  observe(scope: Scope): Promise<HostState>;
  apply(changes: Change[]): Promise<ApplyResult>;
  /** Only the managed processes (cheaper than a full observe; optional). */
  observeProcesses?(): Promise<ManagedProcess[]>;
  /**
   * Call `onChange` when a device appears, goes or changes on the host (another
   * program's too, e.g. a hypervisor plugging a tap); optional. Returns the stop.
   */
  watchLinks?(onChange: () => void): () => void;
  /** The links of the host's own namespace only (cheap: one `ip -json addr`), ownership not set; optional. */
  observeHostLinks?(): Promise<Link[]>;
  /**
   * What identifies the host's dataplane as a whole without reading it (the boot, the namespaces in
   * scope and their inodes): equal identities mean no namespace was made, removed or replaced in
   * between. Undefined when it cannot tell (then nothing persisted is trusted); optional.
   */
  identity?(scope: Scope): Promise<string | undefined>;
}
