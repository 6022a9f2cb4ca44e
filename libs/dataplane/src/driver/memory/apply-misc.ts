import type { Change, ChangeOf } from '../../diff/changes';
import type { IpsetChange } from '../../render/ipset-restore';
import { swapName } from '../../render/ipset-restore';
import { fdbKey, ipsetKey, routeKey, tcKey } from '../../model/keys';
import { normSetMember } from '../../model/normalize';
import type { IpSet } from '../../model/types';
import { KernelError, MemoryKernel } from './kernel';
import { setInUse } from './apply-iptables';

export function applyFdb(k: MemoryKernel, c: ChangeOf<'fdb.add'> | ChangeOf<'fdb.del'>): void {
  const netns = c.entry.netns ?? '';
  k.requireLink(netns, c.entry.dev);
  const entry = { ...c.entry, netns, mac: c.entry.mac.toLowerCase() };
  if (c.kind === 'fdb.add') k.putFdb(entry);
  else if (!k.fdb.delete(fdbKey(entry))) throw new KernelError('RTNETLINK answers: No such file or directory');
}

export function applyRoute(k: MemoryKernel, c: ChangeOf<'route.set'> | ChangeOf<'route.del'>): void {
  const netns = c.route.netns ?? '';
  k.requireNs(netns);
  if (c.kind === 'route.set') {
    if (c.route.dev) k.requireLink(netns, c.route.dev);
    k.putRoute({ ...c.route, netns, protocol: 'static' });
  } else if (!k.routes.delete(routeKey({ ...c.route, netns }))) {
    throw new KernelError('RTNETLINK answers: No such process');
  }
}

const withMembers = (s: IpSet, members: string[]) => ({ ...s, members: [], set: new Set(members.map((m) => normSetMember(m, s.type))) });

export function applyIpset(k: MemoryKernel, c: IpsetChange): void {
  const netns = c.kind === 'ipset.create' || c.kind === 'ipset.swap' ? c.set.netns ?? '' : c.netns;
  k.requireNs(netns);
  switch (c.kind) {
    case 'ipset.create': {
      const cur = k.ipsets.get(ipsetKey({ netns, name: c.set.name }));
      if (cur && (cur.type !== c.set.type || cur.family !== c.set.family)) throw new KernelError(`set ${c.set.name} exists with another type`);
      const next = withMembers({ ...c.set, netns }, c.set.members);
      if (cur) for (const m of cur.set) next.set.add(m); // `-exist`: create keeps the set, add merges
      k.ipsets.set(ipsetKey(next), next);
      return;
    }
    case 'ipset.update': {
      const s = k.ipsets.get(ipsetKey(c));
      if (!s) throw new KernelError(`The set with the given name does not exist: ${c.name}`);
      for (const m of c.del) s.set.delete(normSetMember(m, s.type));
      for (const m of c.add) s.set.add(normSetMember(m, s.type));
      return;
    }
    case 'ipset.swap': {
      const s = k.ipsets.get(ipsetKey({ netns, name: c.set.name }));
      if (!s) throw new KernelError(`The set with the given name does not exist: ${c.set.name}`);
      if (s.type !== c.set.type || s.family !== c.set.family) throw new KernelError('The sets cannot be swapped: their type does not match');
      k.ipsets.set(ipsetKey(s), withMembers({ ...s }, c.set.members));
      k.ipsets.delete(ipsetKey({ netns, name: swapName(c.set.name) }));
      return;
    }
    case 'ipset.destroy': {
      if (!k.ipsets.has(ipsetKey(c))) throw new KernelError(`The set with the given name does not exist: ${c.name}`);
      if (setInUse(k, netns, c.name)) throw new KernelError(`Set cannot be destroyed: it is in use by a kernel component (${c.name})`);
      k.ipsets.delete(ipsetKey(c));
      return;
    }
  }
}

export function applyProcess(k: MemoryKernel, c: Change): void {
  switch (c.kind) {
    case 'process.start':
    case 'process.restart':
      if (c.process.netns) k.requireNs(c.process.netns);
      k.processes.set(c.process.id, { ...structuredClone(c.process), pid: k.nextPid(), running: true });
      return;
    case 'process.reload': {
      const p = k.processes.get(c.process.id);
      if (!p || p.pid !== c.pid) throw new KernelError(`kill ${c.pid}: No such process`);
      k.processes.set(c.process.id, { ...structuredClone(c.process), pid: p.pid, running: true });
      return;
    }
    case 'process.stop':
      k.processes.delete(c.process.id);
      return;
  }
}

/** What `tc -batch` does to one device: its root tbf and its ingress redirect (to a device that must exist). */
export function applyTc(k: MemoryKernel, c: ChangeOf<'tc.set'>): void {
  k.requireNs(c.netns);
  k.requireLink(c.netns, c.tc.dev);
  if (c.tc.redirectIngressTo) k.requireLink(c.netns, c.tc.redirectIngressTo);
  const key = tcKey({ netns: c.netns, dev: c.tc.dev });
  const before = k.tc.get(key);
  const redirect = (c.tc.redirectIngressTo ?? null) !== (c.was.redirectIngressTo ?? null) ? c.tc.redirectIngressTo ?? null : before?.redirectIngressTo ?? null;
  const next = { netns: c.netns, dev: c.tc.dev, root: c.tc.root ? { ...c.tc.root } : null, redirectIngressTo: redirect };
  if (!next.root && next.redirectIngressTo === null) k.tc.delete(key);
  else k.tc.set(key, next);
}
