import type { Change } from './changes';

const LINK_KIND_ORDER: Record<string, number> = { bridge: 0, veth: 1, vxlan: 2, external: 3 };

/**
 * Phase of a change: creations in dependency order (namespaces → links → link
 * attributes → fdb → routes → sysctls → ipsets → iptables → processes), then
 * deletions in reverse (routes → fdb → links → namespaces). Processes that go
 * away are stopped first; ipsets are destroyed after the iptables rules that
 * referenced them are gone.
 */
export function phaseOf(c: Change): number {
  switch (c.kind) {
    case 'process.stop': return 0;
    case 'netns.add': return 1;
    case 'link.del': return c.replace ? 2 : 14;
    case 'link.add': return 3;
    case 'link.set': case 'addr.del': case 'addr.add': return 4;
    case 'fdb.add': return 5;
    case 'route.set': return 6;
    case 'sysctl.set': return 7;
    case 'tc.set': return 7.5;
    case 'ipset.destroy': return c.replace ? 8 : 10;
    case 'ipset.create': case 'ipset.update': case 'ipset.swap': return 8;
    case 'chain.create': case 'chain.set': case 'hook.set': case 'chain.delete': return 9;
    case 'process.start': case 'process.reload': case 'process.restart': return 11;
    case 'route.del': return 12;
    case 'fdb.del': return 13;
    case 'netns.del': return 15;
  }
}

const SUB: Partial<Record<Change['kind'], number>> = { 'link.set': 0, 'addr.del': 1, 'addr.add': 2, 'ipset.destroy': 0 };

/** Deterministic order inside a phase. */
export function sortKeyOf(c: Change): string {
  switch (c.kind) {
    case 'netns.add': case 'netns.del': return c.name;
    case 'link.add': return `${LINK_KIND_ORDER[c.link.kind]}/${c.link.netns ?? ''}/${c.link.name}`;
    case 'link.del': case 'link.set': return `${c.netns}/${c.name}/${SUB[c.kind] ?? 0}`;
    case 'addr.del': case 'addr.add': return `${c.netns}/${c.dev}/${SUB[c.kind]}/${c.cidr}`;
    case 'fdb.add': case 'fdb.del': return `${c.entry.netns ?? ''}/${c.entry.dev}/${c.entry.mac}/${c.entry.dst}`;
    case 'route.set': case 'route.del': return `${c.route.netns ?? ''}/${c.route.table ?? 'main'}/${c.route.dst}`;
    case 'sysctl.set': return `${c.netns}/${c.key}`;
    // an ifb's own tbf before the redirect to it
    case 'tc.set': return `${c.netns}/${c.tc.redirectIngressTo ? 1 : 0}/${c.tc.dev}`;
    case 'ipset.destroy': case 'ipset.update': return `${c.netns}/${c.name}/${c.kind === 'ipset.destroy' ? 0 : 1}`;
    case 'ipset.create': case 'ipset.swap': return `${c.set.netns ?? ''}/${c.set.name}/1`;
    case 'chain.create': case 'chain.set': case 'hook.set': case 'chain.delete':
      return `${c.netns}/${c.family}/${c.table}/${c.chain}`;
    case 'process.stop': case 'process.start': case 'process.reload': case 'process.restart': return c.process.id;
  }
}

export function sortChanges(changes: Change[]): Change[] {
  const keyed = changes.map((c) => ({ c, p: phaseOf(c), k: sortKeyOf(c) }));
  keyed.sort((a, b) => a.p - b.p || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.c);
}
