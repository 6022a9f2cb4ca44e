import { binary, must, run, type RunResult } from './run';

/** iproute2 and sysctl calls, always aimed at a named namespace (never the root one). */
const ip = (): string => binary('ip', 'iproute2');

/** Runs `ip -n <netns> -batch -` with the given lines (one process for many changes). */
export async function ipBatch(netns: string, lines: string[]): Promise<void> {
  if (!lines.length) return;
  await must([ip(), '-n', netns, '-batch', '-'], { input: `${lines.join('\n')}\n` });
}

/** `ip netns add` for several namespaces at once. */
export async function addNetns(names: string[]): Promise<void> {
  if (!names.length) return;
  await must([ip(), '-batch', '-'], { input: `${names.map((n) => `netns add ${n}`).join('\n')}\n` });
}

/** Deletes a namespace; a missing one is not an error. True when it existed. */
export async function deleteNetns(name: string): Promise<boolean> {
  const r = await run([ip(), 'netns', 'delete', name]);
  if (r.code === 0) return true;
  if ((await listNetns()).includes(name)) throw new Error(`ip netns delete ${name}: ${r.stderr.trim()}`);
  return false;
}

export async function listNetns(): Promise<string[]> {
  const out = await must([ip(), 'netns', 'list']);
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0])
    .filter(Boolean);
}

/** PIDs of the processes whose network namespace is `name`. */
export async function netnsPids(name: string): Promise<number[]> {
  const r = await run([ip(), 'netns', 'pids', name]);
  if (r.code !== 0) return [];
  return r.stdout
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 1);
}

/** Runs argv inside `netns` (execFile, no shell). */
export const execIn = (netns: string, argv: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<RunResult> =>
  run([ip(), 'netns', 'exec', netns, ...argv], opts);

export async function sysctls(netns: string, values: Record<string, string | number>): Promise<void> {
  const args = Object.entries(values).map(([k, v]) => `${k}=${v}`);
  await must([ip(), 'netns', 'exec', netns, binary('sysctl', 'procps'), '-q', '-w', ...args]);
}

export interface IpLink {
  ifname: string;
  address?: string;
  mtu: number;
  operstate: string;
  flags: string[];
  master?: string;
  link_netnsid?: number;
}

export interface IpAddrInfo {
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  scope: string;
}

export async function links(netns: string | null): Promise<IpLink[]> {
  const argv = netns ? [ip(), '-n', netns, '-j', 'link', 'show'] : [ip(), '-j', 'link', 'show'];
  return JSON.parse((await must(argv)) || '[]') as IpLink[];
}

export async function addresses(netns: string, dev: string): Promise<IpAddrInfo[]> {
  const out = JSON.parse((await must([ip(), '-n', netns, '-j', 'addr', 'show', 'dev', dev])) || '[]') as Array<{ addr_info: IpAddrInfo[] }>;
  return out[0]?.addr_info ?? [];
}

export async function routes(netns: string, family: 4 | 6 = 4): Promise<Array<{ dst: string; gateway?: string; dev?: string }>> {
  return JSON.parse((await must([ip(), `-${family}`, '-n', netns, '-j', 'route', 'show'])) || '[]');
}
