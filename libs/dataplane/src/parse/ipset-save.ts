import type { IpSet, IpSetType } from '../model/types';

/** Parse `ipset save` output (create/add lines). */
export function parseIpsetSave(text: string, netns = ''): IpSet[] {
  const sets = new Map<string, IpSet>();
  for (const line of text.split('\n')) {
    const t = line.trim().split(/\s+/);
    if (t[0] === 'create' && t.length >= 3) {
      const fi = t.indexOf('family');
      const family = fi > 0 && t[fi + 1] === 'inet6' ? 'inet6' : 'inet';
      sets.set(t[1], { netns, name: t[1], type: t[2] as IpSetType, family, members: [] });
    } else if (t[0] === 'add' && t.length >= 3) {
      sets.get(t[1])?.members.push(t[2]);
    }
  }
  return [...sets.values()];
}
