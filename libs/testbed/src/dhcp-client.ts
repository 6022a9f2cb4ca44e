import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { processRef, type ProcessRef } from './pids';
import { binary } from './run';
import { UDHCPC_SCRIPT } from './udhcpc-script';

/** The lease as the udhcpc script recorded it (instances/<name>/lease.env). */
export interface Lease {
  ip: string;
  mask: number;
  router: string | null;
  dns: string[];
  mtu: number | null;
  leaseSeconds: number | null;
  serverId: string | null;
  staticRoutes: string | null;
}

export const udhcpcBinary = (): string => binary('udhcpc', 'udhcpc');

/** Writes the event script into the state directory (once) and returns its path. */
export function ensureScript(stateDir: string): string {
  const file = path.join(stateDir, 'udhcpc.script');
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== UDHCPC_SCRIPT) {
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(`${file}.tmp`, UDHCPC_SCRIPT, { mode: 0o755 });
    fs.renameSync(`${file}.tmp`, file);
  }
  return file;
}

/**
 * Starts udhcpc in the instance namespace, detached from this process (it
 * keeps the lease after a CLI command returns); `down()` kills it by PID.
 * It retries forever (3 discovers 1 s apart, then a 1 s pause), so an
 * instance booted before its network is wired gets its lease once it is.
 */
export async function startDhcpClient(opts: { netns: string; instance: string; instanceDir: string; script: string }): Promise<ProcessRef> {
  fs.mkdirSync(opts.instanceDir, { recursive: true });
  const log = fs.openSync(path.join(opts.instanceDir, 'udhcpc.log'), 'a');
  const argv = [
    'netns', 'exec', opts.netns,
    udhcpcBinary(), '-f', '-i', 'eth0', '-s', opts.script, '-p', path.join(opts.instanceDir, 'udhcpc.pid'),
    '-t', '3', '-T', '1', '-A', '1', '-x', `hostname:${opts.instance}`, '-O', 'mtu', '-O', 'staticroutes',
  ];
  const child = spawn(binary('ip', 'iproute2'), argv, {
    detached: true,
    stdio: ['ignore', log, log],
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', NEUTRINO_INSTANCE_DIR: opts.instanceDir },
  });
  fs.closeSync(log);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  child.unref();
  const ref = child.pid ? processRef(child.pid, `udhcpc ${opts.instance}`) : null;
  if (!ref) throw new Error(`udhcpc for ${opts.instance} exited at once; see ${opts.instanceDir}/udhcpc.log`);
  return ref;
}

export function readLease(instanceDir: string): Lease | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(instanceDir, 'lease.env'), 'utf8');
  } catch {
    return null;
  }
  const kv = Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]),
  );
  const num = (v?: string) => (v ? Number(v) : null);
  return {
    ip: kv.ip,
    mask: Number(kv.mask),
    router: kv.router?.split(' ')[0] || null,
    dns: kv.dns ? kv.dns.split(' ').filter(Boolean) : [],
    mtu: num(kv.mtu),
    leaseSeconds: num(kv.lease),
    serverId: kv.serverid || null,
    staticRoutes: kv.staticroutes || null,
  };
}
