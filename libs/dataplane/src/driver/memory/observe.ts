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
  out.tc = scope.tc ? [...k.tc.values()].filter((t) => visible(t.netns)).map((t) => structuredClone(t)) : [];
  return out;
}

/** observeMemory cut down to the objects with these keys (see diff/scoped): what a scoped diff compares against, at the cost of the keys only. */
export function observeMemoryKeys(k: MemoryKernel, scope: Scope, keys: Set<string>): HostState {
  const o = scope.ownership;
  const extra = new Set(scope.namespaces ?? []);
  const visible = (netns?: string) => !netns || (k.namespaces.has(netns) && (ownsNetns(o, netns) || extra.has(netns)));
  const nsOwned = (netns?: string) => !!netns && ownsNetns(o, netns);
  const out = emptyHostState();
  const tables = new Map<string, { netns: string; family: IptFamily; table: IptTableName; chains: { name: string; rules: string[] }[] }>();
  for (const key of keys) {
    const i = key.indexOf(':');
    const kind = key.slice(0, i);
    const id = key.slice(i + 1);
    if (kind === 'ns') {
      if (id && k.namespaces.has(id) && visible(id)) out.namespaces.push({ name: id, owned: ownsNetns(o, id) });
    } else if (kind === 'link') {
      const l = k.links.get(id);
      if (l && visible(l.netns)) out.links.push({ ...structuredClone(l), owned: ownsLink(o, l.name) });
    } else if (kind === 'fdb') {
      const f = k.fdb.get(id);
      if (f && visible(f.netns)) out.fdb.push({ ...f });
    } else if (kind === 'route') {
      const r = k.routes.get(id);
      if (r && visible(r.netns)) out.routes.push({ ...r, owned: ownsRoute(o, r, nsOwned(r.netns)) });
    } else if (kind === 'sysctl') {
      const v = k.sysctls.get(id);
      const j = id.indexOf('/');
      const netns = id.slice(0, j);
      const name = id.slice(j + 1);
      if (v !== undefined && visible(netns) && (!scope.sysctlKeys || scope.sysctlKeys.includes(name))) out.sysctls.push({ netns, key: name, value: v });
    } else if (kind === 'chain') {
      const [netns, family, table, ...rest] = id.split('/');
      const name = rest.join('/');
      const chains = k.tables.get(`${netns}/${family}/${table}`);
      const rules = chains?.get(name);
      if (!rules || !visible(netns)) continue;
      const tk = `${netns}/${family}/${table}`;
      const t = tables.get(tk) ?? { netns, family: family as IptFamily, table: table as IptTableName, chains: [] };
      t.chains.push({ name, rules: [...rules] });
      tables.set(tk, t);
    } else if (kind === 'tc') {
      const t = k.tc.get(id);
      if (t && visible(t.netns)) out.tc!.push(structuredClone(t));
    } else if (kind === 'ipset') {
      const s = k.ipsets.get(id);
      if (s && visible(s.netns) && ownsIpset(o, s.name)) out.ipsets.push({ netns: s.netns, name: s.name, type: s.type, family: s.family, members: [...s.set].sort(), owned: true });
    }
  }
  for (const t of tables.values()) out.iptables.push(projectTable(o, t));
  return out;
}
