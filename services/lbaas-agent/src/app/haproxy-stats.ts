import { createConnection } from 'node:net';
import type { LbStatsCounters, LbStats } from '@neutrino/events';

/** One row of HAProxy's `show stat` CSV, by its header's names (pxname, svname, status, scur, stot, bin, bout, ereq …). */
export type StatRow = Record<string, string>;

/** `show stat`'s CSV: the header line starts with `# `. */
export function parseShowStat(csv: string): StatRow[] {
  const lines = csv.split('\n').filter((l) => l.trim());
  const head = lines.findIndex((l) => l.startsWith('# '));
  if (head < 0) return [];
  const names = lines[head].slice(2).split(',');
  return lines.slice(head + 1).map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}

/**
 * A server's state as a member's health: UP (also `UP 1/3`, going down) is
 * ONLINE, DOWN (also `DOWN 1/2`, coming up), MAINT and NOLB are OFFLINE;
 * `no check` (no monitor) says nothing.
 */
export function memberHealth(rows: StatRow[]): Record<string, 'ONLINE' | 'OFFLINE'> {
  const out: Record<string, 'ONLINE' | 'OFFLINE'> = {};
  for (const r of rows) {
    if (r.svname === 'FRONTEND' || r.svname === 'BACKEND') continue;
    const status = r.status ?? '';
    if (status.startsWith('UP')) out[r.svname] = 'ONLINE';
    else if (status.startsWith('DOWN') || status.startsWith('MAINT') || status.startsWith('NOLB')) out[r.svname] = 'OFFLINE';
  }
  return out;
}

const n = (v: string | undefined): number => (v ? Number(v) || 0 : 0);

/** The load balancer's stats from its frontends (one per listener, named by its id), and their sums. */
export function lbStats(rows: StatRow[]): LbStats {
  const listeners: Record<string, LbStatsCounters> = {};
  const sum: LbStatsCounters = { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0, request_errors: 0 };
  for (const r of rows) {
    if (r.svname !== 'FRONTEND') continue;
    const c: LbStatsCounters = { bytes_in: n(r.bin), bytes_out: n(r.bout), active_connections: n(r.scur), total_connections: n(r.stot), request_errors: n(r.ereq) };
    listeners[r.pxname] = c;
    for (const k of Object.keys(sum) as Array<keyof LbStatsCounters>) sum[k] += c[k];
  }
  return { ...sum, listeners };
}

/** `show stat` over HAProxy's stats socket (a unix socket: reachable from any namespace). */
export function showStat(socketPath: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(socketPath);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => sock.destroy(new Error(`no answer on ${socketPath} in ${timeoutMs} ms`)), timeoutMs);
    sock.on('connect', () => sock.end('show stat\n'));
    sock.on('data', (b) => chunks.push(b));
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString());
    });
  });
}
