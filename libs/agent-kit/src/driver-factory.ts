import * as path from 'node:path';
import { LinuxDriver, MemoryDriver, type Driver } from '@neutrino/dataplane';

/** The dataplane an agent drives: the real kernel (inside the host's namespace, if any) or the in-memory model. */
export function createDriver(kind: 'linux' | 'memory', opts: { hostNetns?: string; dataDir: string; agent: string; host: string }): Driver {
  if (kind === 'memory') return new MemoryDriver();
  return new LinuxDriver({ hostNetns: opts.hostNetns || undefined, stateDir: path.join(opts.dataDir, 'agents', `${opts.host}-${opts.agent}`) });
}
