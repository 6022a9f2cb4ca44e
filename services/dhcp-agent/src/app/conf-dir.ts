import { mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * dnsmasq drops to an unprivileged user once started and re-reads its hosts
 * and opts files as that user on SIGHUP, so every directory above them must
 * be searchable by others. Creates `dir` (0755) and returns the first
 * directory on its path that is not, if any (e.g. a data dir under /root).
 */
export function prepareConfRoot(dir: string): string | undefined {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return d;
    if (d === path.dirname(d)) return undefined;
  }
}
