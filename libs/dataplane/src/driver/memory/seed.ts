import type { HostState } from '../../model/types';
import { ipsetKey, linkKey, ns, tableKey, tcKey } from '../../model/keys';
import { builtinChains } from '../../model/rules';
import { normCidr } from '@neutrino/netaddr';
import { normSetMember } from '../../model/normalize';
import type { MemoryKernel } from './kernel';

/** Put objects into the model kernel as they are, without ownership checks (another program did it). */
export function seedKernel(k: MemoryKernel, s: HostState): void {
  for (const n of s.namespaces) k.namespaces.add(n.name);
  for (const l of s.links) {
    const { owned: _owned, ...rest } = l;
    k.links.set(linkKey(l), {
      up: false,
      mtu: 1500,
      mac: k.nextMac(),
      master: null,
      observedKind: l.kind === 'external' ? '' : l.kind,
      ...structuredClone(rest),
      netns: ns(l.netns),
      addresses: (l.addresses ?? []).map(normCidr),
    });
  }
  for (const f of s.fdb) k.putFdb({ ...f, netns: ns(f.netns), mac: f.mac.toLowerCase() });
  for (const r of s.routes) k.putRoute({ ...r, netns: ns(r.netns) });
  for (const x of s.sysctls) k.sysctls.set(`${ns(x.netns)}/${x.key}`, x.value);
  for (const t of s.iptables) {
    const key = tableKey({ ...t, netns: ns(t.netns) });
    const chains = k.tables.get(key) ?? new Map(builtinChains(t.table).map((n) => [n, [] as string[]]));
    for (const c of t.chains) chains.set(c.name, [...(chains.get(c.name) ?? []), ...c.rules]);
    k.tables.set(key, chains);
  }
  for (const x of s.ipsets) {
    const set = new Set(x.members.map((m) => normSetMember(m, x.type)));
    k.ipsets.set(ipsetKey({ ...x, netns: ns(x.netns) }), { ...x, netns: ns(x.netns), members: [], set });
  }
  for (const t of s.tc ?? []) k.tc.set(tcKey({ ...t, netns: ns(t.netns) }), { ...structuredClone(t), netns: ns(t.netns) });
  for (const p of s.processes) k.processes.set(p.id, { pid: k.nextPid(), running: true, ...structuredClone(p) });
}
