import type { Scope } from '../driver';
import type { HostState, IptFamily, IptTableName, Link } from '../../model/types';
import { emptyHostState } from '../../model/state';
import { ownsIpset, ownsLink, ownsNetns } from '../../model/ownership';
import { ownsRoute } from '../../model/route-owner';
import { projectTable } from '../../parse/iptables-save';
import type { MemoryKernel } from './kernel';

/** What the linux driver would report for the same kernel state and scope. */
export function observeMemory(k: MemoryKernel, scope: Scope): HostState {
  const o = scope.ownership;
  const extra = new Set(scope.namespaces ?? []);
  const seen = new Set<string>(['']);
  const out = emptyHostState();
  for (const n of [...k.namespaces].sort()) {
    if (!n || !(ownsNetns(o, n) || extra.has(n))) continue;
    seen.add(n);
    out.namespaces.push({ name: n, owned: ownsNetns(o, n) });
  }
  const visible = (netns?: string) => seen.has(netns ?? '');
  const nsOwned = (netns?: string) => !!netns && ownsNetns(o, netns);
  for (const l of k.links.values()) {
    if (!visible(l.netns)) continue;
    const copy: Link = structuredClone(l);
    copy.owned = ownsLink(o, l.name);
    out.links.push(copy);
  }
  out.fdb = [...k.fdb.values()].filter((f) => visible(f.netns)).map((f) => ({ ...f }));
  out.routes = [...k.routes.values()]
    .filter((r) => visible(r.netns))
    .map((r) => ({ ...r, owned: ownsRoute(o, r, nsOwned(r.netns)) }));
  const keys = scope.sysctlKeys && new Set(scope.sysctlKeys);
  for (const [key, value] of k.sysctls) {
    const i = key.indexOf('/');
    const netns = key.slice(0, i);
    const name = key.slice(i + 1);
    if (visible(netns) && (!keys || keys.has(name))) out.sysctls.push({ netns, key: name, value });
  }
  for (const [key, chains] of k.tables) {
    const [netns, family, table] = key.split('/');
    if (!visible(netns)) continue;
    const t = { netns, family: family as IptFamily, table: table as IptTableName, chains: [...chains].map(([name, rules]) => ({ name, rules: [...rules] })) };
    out.iptables.push(projectTable(o, t));
  }
  for (const s of k.ipsets.values()) {
    if (!visible(s.netns) || !ownsIpset(o, s.name)) continue;
    out.ipsets.push({ netns: s.netns, name: s.name, type: s.type, family: s.family, members: [...s.set].sort(), owned: true });
  }
  out.processes = [...k.processes.values()].map((p) => structuredClone(p));
  return out;
}
