import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The metadata shared secret: the configured one, or (nothing configured,
 * one machine) a random one kept in `<dataDir>/metadata/shared_secret`, made
 * by whichever of the metadata agent and service starts first (mode 0600).
 */
export function metadataSharedSecret(dataDir: string, configured: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'metadata', 'shared_secret');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  for (let i = 0; i < 50; i++) {
    const s = fs.readFileSync(file, 'utf8').trim();
    if (s) return s;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // the other process is between create and write
  }
  throw new Error(`${file} is empty`);
}
