import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HostState } from '@neutrino/dataplane';

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
