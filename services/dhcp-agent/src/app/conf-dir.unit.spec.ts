import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareConfRoot } from './conf-dir';

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
