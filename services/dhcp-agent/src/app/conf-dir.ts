import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * dnsmasq drops to an unprivileged user once started and re-reads its hosts
 * and opts files as that user on SIGHUP, so every directory above them must
 * be searchable by others. Creates `dir` (0755) and returns the first
 * directory on its path that is not, if any (e.g. a data dir under /root).
 */
export function prepareConfRoot(dir: string): string | undefined {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755); // whatever the umask
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return d;
    if (d === path.dirname(d)) return undefined;
  }
}

export interface ConfRoot {
  /** Where the dnsmasq files go. */
  dir: string;
  /** The directory that kept them from NEUTRINO_DATA_DIR/dhcp, when there was one. */
  closed?: string;
  /** True when dnsmasq cannot read `dir` either. */
  unreadable?: boolean;
}

/**
 * The dnsmasq directory of a data dir: NEUTRINO_DATA_DIR/dhcp when dnsmasq's
 * user can reach it; otherwise (a data dir made by `mktemp -d`, mode 0700, or
 * under /root) a directory of its own under `runRoot`, named after the data
 * dir so that a restart finds the same files. Its files are rendered from the
 * log at every start, so a tmpfs like /run loses nothing.
 */
export function dnsmasqConfRoot(dataDir: string, runRoot = '/run/neutrino'): ConfRoot {
  const preferred = path.join(dataDir, 'dhcp');
  const closed = prepareConfRoot(preferred);
  if (!closed) return { dir: preferred };
  mkdirSync(runRoot, { recursive: true, mode: 0o755 });
  chmodSync(runRoot, 0o755);
  const dir = path.join(runRoot, `dhcp-${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12)}`);
  if (prepareConfRoot(dir)) return { dir: preferred, closed, unreadable: true };
  return { dir, closed };
}
