import type { Scope } from '../driver';
import type { HostState, Link, Sysctl } from '../../model/types';
import { emptyHostState } from '../../model/state';
import { ownsIpset, ownsLink, ownsNetns } from '../../model/ownership';
import { ownsRoute } from '../../model/route-owner';
import { parseFdbJson, parseIpAddrJson, parseNetnsIds, type ParsedLink } from '../../parse/ip-json';
import { parseRoutesJson } from '../../parse/routes';
import { parseIptablesSave, projectTable } from '../../parse/iptables-save';
import { parseIpsetSave } from '../../parse/ipset-save';
import { inNetns, realNetns } from '../../render/netns';
import { pool, type Exec } from './exec';

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

/** Observe one namespace ('' = the host's): links, routes, fdb, iptables, ipsets, sysctls. */
async function observeNs(exec: Exec, netns: string, owned: boolean, scope: Scope, hostNetns: string | undefined, out: HostState): Promise<NsView> {
  const real = realNetns(netns, hostNetns);
  const ip = (...a: string[]) => ['ip', ...(real ? ['-n', real] : []), ...a];
  const o = scope.ownership;
  const [addr, r4, r6, fdb, ipt4, ipt6, sets, sys] = await Promise.all([
    ok(exec, ip('-d', '-json', 'addr', 'show')),
    ok(exec, ip('-4', '-json', 'route', 'show', 'table', 'all')),
    ok(exec, ip('-6', '-json', 'route', 'show', 'table', 'all')),
    ok(exec, ['bridge', ...(real ? ['-n', real] : []), '-json', 'fdb', 'show']),
    ok(exec, inNetns(real, ['iptables-save'])),
    ok(exec, inNetns(real, ['ip6tables-save'])),
    ok(exec, inNetns(real, ['ipset', 'save'])),
    scope.sysctlKeys?.length ? exec(inNetns(real, ['sysctl', '-e', ...scope.sysctlKeys])).then((r) => r.stdout) : Promise.resolve(''),
  ]);
  const links = parseIpAddrJson(addr, netns);
  for (const l of links) l.owned = ownsLink(o, l.name);
  out.routes.push(
    ...[...parseRoutesJson(r4, 4, netns), ...parseRoutesJson(r6, 6, netns)].map((r) => ({ ...r, owned: ownsRoute(o, r, owned) })),
  );
  out.fdb.push(...parseFdbJson(fdb, netns));
  out.iptables.push(...parseIptablesSave(ipt4, 'ipv4', netns).map((t) => projectTable(o, t)));
  out.iptables.push(...parseIptablesSave(ipt6, 'ipv6', netns).map((t) => projectTable(o, t)));
  out.ipsets.push(...parseIpsetSave(sets, netns).filter((s) => ownsIpset(o, s.name)).map((s) => ({ ...s, owned: true })));
  out.sysctls.push(...parseSysctl(sys, netns));
  const view: NsView = { netns, links };
  if (links.some((l) => l.peerRef)) view.ids = parseNetnsIds(await ok(exec, ip('-json', 'netns', 'list')));
  return view;
}

/** Name a veth's peer from the other namespace's view (the root namespace has no name: it is the host's). */
function resolvePeers(views: NsView[], hostNetns: string | undefined): void {
  const byNs = new Map(views.map((v) => [v.netns, v]));
  for (const v of views) {
    for (const l of v.links) {
      if (!l.peerRef) continue;
      const named = v.ids?.get(l.peerRef.netnsid);
      const peerNs = named === undefined ? (hostNetns ? undefined : '') : named === hostNetns ? '' : named;
      const other = peerNs === undefined ? undefined : byNs.get(peerNs);
      const cand = other?.links.find((x) => x.ifindex === l.peerRef!.ifindex);
      // accept only a veth that points back at us (guards against an unnamed namespace that isn't the host's)
      if (cand && cand.kind === 'veth' && (cand.peerRef?.ifindex === l.ifindex || cand.peer?.name === l.name)) {
        l.peer = { name: cand.name, netns: peerNs };
      }
    }
  }
}

export async function observeLinux(exec: Exec, scope: Scope, hostNetns: string | undefined, concurrency: number): Promise<HostState> {
  const o = scope.ownership;
  const extra = new Set(scope.namespaces ?? []);
  const all = (JSON.parse((await ok(exec, ['ip', '-json', 'netns', 'list'])) || '[]') as { name: string }[]).map((n) => n.name);
  const names = all.filter((n) => n !== hostNetns && (ownsNetns(o, n) || extra.has(n))).sort();
  const out = emptyHostState();
  out.namespaces = names.map((name) => ({ name, owned: ownsNetns(o, name) }));
  const views = await pool(['', ...names], concurrency, (n) => observeNs(exec, n, !!n && ownsNetns(o, n), scope, hostNetns, out));
  resolvePeers(views, hostNetns);
  for (const v of views) {
    for (const { ifindex: _i, peerRef: _p, ...l } of v.links) out.links.push(l as Link);
  }
  return out;
}
