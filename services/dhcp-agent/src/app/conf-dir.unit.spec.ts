import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dnsmasqConfRoot, prepareConfRoot } from './conf-dir';

describe('prepareConfRoot', () => {
  it('creates the directory and names the first one on its path that others cannot search', () => {
    const top = mkdtempSync(join(tmpdir(), 'dhcp-conf-'));
    try {
      chmodSync(top, 0o700);
      expect(prepareConfRoot(join(top, 'data', 'dhcp'))).toBe(top);
      chmodSync(top, 0o755);
      expect(prepareConfRoot(join(top, 'data', 'dhcp'))).toBeUndefined();
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});

describe('dnsmasqConfRoot', () => {
  it('keeps NEUTRINO_DATA_DIR/dhcp when others can reach it, else a directory of its own under the run root, the same at every start', () => {
    const top = mkdtempSync(join(tmpdir(), 'dhcp-conf-'));
    try {
      const data = join(top, 'data');
      const run = join(top, 'run');
      chmodSync(top, 0o755);
      expect(dnsmasqConfRoot(data, run)).toEqual({ dir: join(data, 'dhcp') });
      chmodSync(data, 0o700);
      const moved = dnsmasqConfRoot(data, run);
      expect(moved).toEqual({ dir: expect.stringMatching(new RegExp(`^${run}/dhcp-[0-9a-f]{12}$`)), closed: data });
      expect(statSync(moved.dir).mode & 0o777).toBe(0o755);
      expect(dnsmasqConfRoot(data, run)).toEqual(moved);
      expect(dnsmasqConfRoot(join(top, 'other'), run).dir).toBe(join(top, 'other', 'dhcp'));
      chmodSync(top, 0o700);
      expect(dnsmasqConfRoot(data, run)).toEqual({ dir: join(data, 'dhcp'), closed: data, unreadable: true });
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});
