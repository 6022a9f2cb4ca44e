import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ConfigCheck } from '../desired/lbaas-desired';

/**
 * `haproxy -c -f <config>`: null when HAProxy accepts the config, else what it
 * said. Synchronous (the desired state is computed in one go) and run once per
 * distinct config (CheckedConfigs keeps the verdicts): ~10 ms each.
 */
export const haproxyCheck = (bin: string): ConfigCheck => (config) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'neutrino-haproxy-check-'));
  try {
    const file = path.join(dir, 'haproxy.conf');
    writeFileSync(file, config);
    execFileSync(bin, ['-c', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
    return null;
  } catch (err) {
    const e = err as { stderr?: Buffer; stdout?: Buffer; message: string };
    const said = `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`.trim();
    return `haproxy refused the configuration: ${said || e.message}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
