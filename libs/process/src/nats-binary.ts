import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** nats-server: NATS_SERVER_BIN, else on PATH or in the system dirs (Debian puts it in /usr/sbin). */
export function findNatsServer(): string {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin'];
  for (const dir of dirs) {
    try {
      accessSync(join(dir, 'nats-server'), constants.X_OK);
      return join(dir, 'nats-server');
    } catch {
      /* keep looking */
    }
  }
  throw new Error('nats-server not found: install the Debian package nats-server (npm start does) or set NATS_SERVER_BIN');
}
