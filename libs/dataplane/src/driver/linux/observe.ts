import type { Scope } from '../driver';
import type { HostState, Link, Sysctl } from '../../model/types';
import { emptyHostState } from '../../model/state';
import { ownsIpset, ownsLink, ownsNetns } from '../../model/ownership';
import { ownsRoute } from '../../model/route-owner';
import { parseFdbJson, parseIpAddrJson, parseNetnsIds, type ParsedLink } from '../../parse/ip-json';
import { parseRoutesJson } from '../../parse/routes';
import { parseIptablesSave, projectTable } from '../../parse/iptables-save';
import { parseIpsetSave } from '../../parse/ipset-save';
import { parseTcJson } from '../../parse/tc-json';
import { randomBytes } from 'node:crypto';
import { realNetns } from '../../render/netns';
import type { Exec } from './exec';

interface NsView {
  netns: string;
  links: ParsedLink[];
  ids?: Map<number, string>;
}

async function ok(exec: Exec, argv: string[]): Promise<string> {
  const r = await exec(argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr.trim() || `exit ${r.code}`}`);
  return r.stdout;
}

function parseSysctl(text: string, netns: string): Sysctl[] {
  return text
    .split('\n')
    .map((l) => l.match(/^(\S+)\s*=\s*(.*)$/))
    .filter((m): m is RegExpMatchArray => !!m)
    .map((m) => ({ netns, key: m[1], value: m[2] }));
}

/**
 * The reads of one namespace, in the order the batched script runs them (each
 * followed by a marker line with its exit status). sysctl's status is not
 * checked: `-e` skips unknown keys, and a namespace may lack some.
 */
const READS = [
  ['addr', 'ip -d -json addr show'],
  ['route4', 'ip -4 -json route show table all'],
  ['route6', 'ip -6 -json route show table all'],
  ['fdb', 'bridge -json fdb show'],
  ['ipt4', 'iptables-save'],
  ['ipt6', 'ip6tables-save'],
  ['ipsets', 'ipset save'],
  ['sysctl', 'if [ -n "$2" ]; then sysctl -e $2; fi'],
  // the names of the namespaces' ids as seen from here (a veth's peer namespace): O(namespaces) each, so only in the
  // host's namespace; another's are read afterwards only if a peer is left unnamed (see resolvePeers)
  ['netnsIds', 'if [ "$3" = 1 ]; then ip -json netns list; fi'],
  // traffic control (QoS) when asked for: the qdiscs, then the filters of the devices with an ingress qdisc (a redirect to an ifb), each after a `dev <name>` line
  ['tcq', 'if [ "$4" = 1 ]; then tc -j qdisc show; fi'],
  ['tcf', 'if [ "$4" = 1 ]; then for d in $(tc qdisc show | awk \'$2 == "ingress" { print $5 }\'); do printf \'dev %s\\n\' "$d"; tc -j filter show dev "$d" parent ffff:; printf \'\\n\'; done; fi'],
] as const;
type ReadName = (typeof READS)[number][0];
/** The commands the batched observe runs in each namespace, in order. */
export const NS_READS: readonly string[] = READS.map(([, cmd]) => cmd);
export type NsReads = Record<ReadName, string>;

/** Run inside a namespace by `sh -c`: $1 = the marker, $2 = the sysctl keys (space-separated), $3 = 1 to read the namespace ids, $4 = 1 to read traffic control. */
const INNER = READS.map(([, cmd]) => `${cmd}; r=$?; printf '\\n%s %s\\n' "$1" "$r"`).join('\n');
/** $1 = the inner script, $2 = marker, $3 = sysctl keys, $4 = the namespace whose ids to read, $5 = 1 to read traffic control, then the namespaces ('' = the root namespace). */
const OUTER = [
  'inner=$1; m=$2; keys=$3; idsns=$4; tc=$5; shift 5',
  'for ns in "$@"; do',
  '  printf \'%s ns %s\\n\' "$m" "$ns"',
  '  if [ "$ns" = "$idsns" ]; then w=1; else w=0; fi',
  // nsenter only enters the network namespace (ip netns exec also copies the mount table, ~500 entries on a host with 500 routers)
  '  if [ -z "$ns" ]; then sh -c "$inner" sh "$m" "$keys" "$w" "$tc"; else nsenter "--net=/run/netns/$ns" sh -c "$inner" sh "$m" "$keys" "$w" "$tc"; fi',
  '  r=$?; printf \'\\n%s end %s\\n\' "$m" "$r"',
  'done',
].join('\n');

const SAFE_KEY = /^[A-Za-z0-9_.\/-]+$/;

/** Split the batched output into each namespace's reads (exit status checked). */
export function parseBatchedReads(stdout: string, stderr: string, marker: string, namespaces: string[]): Map<string, NsReads> {
  const out = new Map<string, NsReads>();
  let ns: string | undefined;
  let sections: Array<{ text: string; code: number }> = [];
  let buf: string[] = [];
  const fail = (what: string, code: number) => new Error(`${what} in namespace '${ns ?? ''}': exit ${code}${stderr.trim() ? `: ${stderr.trim().slice(-2000)}` : ''}`);
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(marker)) {
      buf.push(line);
      continue;
    }
    const rest = line.slice(marker.length + 1);
    if (rest.startsWith('ns ')) {
      ns = rest.slice(3);
      sections = [];
    } else if (rest.startsWith('end ')) {
      const code = Number(rest.slice(4));
      if (ns === undefined) throw new Error('batched observe: output out of order');
      if (sections.length !== READS.length) throw fail(code ? 'nsenter' : 'batched observe: missing reads', code || -1);
      const reads = {} as NsReads;
      READS.forEach(([name, cmd], i) => {
        if (sections[i].code !== 0 && name !== 'sysctl') throw fail(cmd, sections[i].code);
        reads[name] = sections[i].text;
      });
      out.set(ns, reads);
      ns = undefined;
    } else {
      // the line before a marker is the empty one printf adds (a command's output need not end in a newline)
      if (buf.length && buf[buf.length - 1] === '') buf.pop();
      sections.push({ text: buf.join('\n'), code: Number(rest) });
    }
    buf = [];
  }
  for (const n of namespaces) if (!out.has(n)) throw new Error(`batched observe: no reads for namespace '${n}'${stderr.trim() ? `: ${stderr.trim().slice(-2000)}` : ''}`);
  return out;
}

/**
 * Read namespaces in batches: one `sh` per batch runs every read of each of its
 * namespaces (one `nsenter --net=/run/netns/<ns> sh -c …` per namespace), with a marker
 * line after each read — a handful of processes started from here instead of
 * about nine per namespace. Names travel as arguments, never inside the script.
 */
export async function readNamespaces(exec: Exec, realNames: string[], sysctlKeys: string[], batches: number, idsOf = '', tc = false): Promise<Map<string, NsReads>> {
  for (const k of sysctlKeys) if (!SAFE_KEY.test(k)) throw new Error(`not a sysctl key: ${JSON.stringify(k)}`);
  const marker = `@@neutrino-observe-${randomBytes(8).toString('hex')}@@`;
  const n = Math.max(1, Math.min(batches, realNames.length));
  const chunks = Array.from({ length: n }, (_, i) => realNames.filter((_x, j) => j % n === i));
  const parts = await Promise.all(
    chunks.map(async (names) => {
      const r = await exec(['sh', '-c', OUTER, 'sh', INNER, marker, sysctlKeys.join(' '), idsOf, tc ? '1' : '0', ...names]);
      return parseBatchedReads(r.stdout, r.stderr, marker, names);
    }),
  );
  return new Map(parts.flatMap((p) => [...p]));
}

const IDS_SCRIPT = [
  'm=$1; shift',
  'for ns in "$@"; do',
  '  printf \'%s ns %s\\n\' "$m" "$ns"',
  '  if [ -z "$ns" ]; then ip -json netns list; else ip -n "$ns" -json netns list; fi',
  '  r=$?; printf \'\\n%s end %s\\n\' "$m" "$r"',
  'done',
].join('\n');

/** `ip -json netns list` in each of these namespaces (one process), by name. */
export async function readNetnsIds(exec: Exec, realNames: string[]): Promise<Map<string, string>> {
  const marker = `@@neutrino-observe-${randomBytes(8).toString('hex')}@@`;
  const r = await exec(['sh', '-c', IDS_SCRIPT, 'sh', marker, ...realNames]);
  const out = new Map<string, string>();
  let ns: string | undefined;
  let buf: string[] = [];
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith(marker)) {
      buf.push(line);
      continue;
    }
    const rest = line.slice(marker.length + 1);
    if (rest.startsWith('ns ')) ns = rest.slice(3);
    else if (rest.startsWith('end ') && ns !== undefined) {
      if (rest !== 'end 0') throw new Error(`ip netns list in namespace '${ns}': ${r.stderr.trim() || rest}`);
      out.set(ns, buf.join('\n'));
    }
    buf = [];
  }
  for (const n of realNames) if (!out.has(n)) throw new Error(`ip netns list: no answer for namespace '${n}'${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`);
  return out;
}

/** Turn one namespace's reads ('' = the host's) into state: links, routes, fdb, iptables, ipsets, sysctls. */
function observeNs(reads: NsReads, netns: string, owned: boolean, scope: Scope, out: HostState): NsView {
  const o = scope.ownership;
  const links = parseIpAddrJson(reads.addr, netns);
  for (const l of links) l.owned = ownsLink(o, l.name);
  out.routes.push(
    ...[...parseRoutesJson(reads.route4, 4, netns), ...parseRoutesJson(reads.route6, 6, netns)].map((r) => ({ ...r, owned: ownsRoute(o, r, owned) })),
  );
  out.fdb.push(...parseFdbJson(reads.fdb, netns));
  out.iptables.push(...parseIptablesSave(reads.ipt4, 'ipv4', netns).map((t) => projectTable(o, t)));
  out.iptables.push(...parseIptablesSave(reads.ipt6, 'ipv6', netns).map((t) => projectTable(o, t)));
  out.ipsets.push(...parseIpsetSave(reads.ipsets, netns).filter((s) => ownsIpset(o, s.name)).map((s) => ({ ...s, owned: true })));
  out.sysctls.push(...parseSysctl(reads.sysctl, netns));
  if (scope.tc) out.tc!.push(...parseTcJson(reads.tcq, reads.tcf, netns));
  const view: NsView = { netns, links };
  if (reads.netnsIds.trim() && links.some((l) => l.peerRef)) view.ids = parseNetnsIds(reads.netnsIds);
  return view;
}

/**
 * Name a veth's peer from the other namespace's view (the root namespace has no name: it is the host's).
 * A pair found from one end names the other end too (a veth's peer is its peer's peer), so the ids of
 * the host's namespace name both ends of every veth with one end there. `withIds` false: only views
 * whose ids were read; returns the views left with an unnamed peer.
 */
function resolvePeers(views: NsView[], hostNetns: string | undefined, withIds = false): NsView[] {
  const byNs = new Map(views.map((v) => [v.netns, v]));
  for (const v of [...views].sort((a, b) => Number(!a.ids) - Number(!b.ids))) {
    if (!v.ids && !withIds) continue;
    for (const l of v.links) {
      if (!l.peerRef || l.peer) continue;
      const named = v.ids?.get(l.peerRef.netnsid);
      const peerNs = named === undefined ? (hostNetns ? undefined : '') : named === hostNetns ? '' : named;
      const other = peerNs === undefined ? undefined : byNs.get(peerNs);
      const cand = other?.links.find((x) => x.ifindex === l.peerRef!.ifindex);
      // accept only a veth that points back at us (guards against an unnamed namespace that isn't the host's)
      if (cand && cand.kind === 'veth' && (cand.peerRef?.ifindex === l.ifindex || cand.peer?.name === l.name)) {
        l.peer = { name: cand.name, netns: peerNs };
        if (!cand.peer && v.ids) cand.peer = { name: l.name, netns: v.netns };
      }
    }
  }
  return views.filter((v) => !v.ids && v.links.some((l) => l.peerRef && !l.peer));
}

export async function observeLinux(exec: Exec, scope: Scope, hostNetns: string | undefined, batches: number): Promise<HostState> {
  const o = scope.ownership;
  const extra = new Set(scope.namespaces ?? []);
  const all = (JSON.parse((await ok(exec, ['ip', '-json', 'netns', 'list'])) || '[]') as { name: string }[]).map((n) => n.name);
  const names = all.filter((n) => n !== hostNetns && (ownsNetns(o, n) || extra.has(n))).sort();
  const out = emptyHostState();
  out.namespaces = names.map((name) => ({ name, owned: ownsNetns(o, name) }));
  const relative = ['', ...names];
  const real = (n: string) => realNetns(n, hostNetns) ?? '';
  const reads = await readNamespaces(exec, relative.map(real), scope.sysctlKeys ?? [], batches, real(''), !!scope.tc);
  const views = relative.map((n) => observeNs(reads.get(real(n))!, n, !!n && ownsNetns(o, n), scope, out));
  const unnamed = resolvePeers(views, hostNetns);
  if (unnamed.length) {
    const ids = await readNetnsIds(exec, unnamed.map((v) => real(v.netns)));
    for (const v of unnamed) v.ids = parseNetnsIds(ids.get(real(v.netns))!);
    resolvePeers(views, hostNetns, true);
  }
  for (const v of views) {
    for (const { ifindex: _i, peerRef: _p, ...l } of v.links) out.links.push(l as Link);
  }
  return out;
}
