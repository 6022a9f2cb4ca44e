import type { ChangeOf } from '../../diff/changes';
import type { Link } from '../../model/types';
import { linkKey } from '../../model/keys';
import { normCidr } from '@neutrino/netaddr';
import { KernelError, MemoryKernel } from './kernel';

function create(k: MemoryKernel, netns: string, name: string, extra: Partial<Link> & Pick<Link, 'kind'>): Link {
  k.requireNs(netns);
  if (k.links.has(linkKey({ netns, name }))) throw new KernelError(`RTNETLINK answers: File exists (${name})`);
  const l: Link = { netns, name, up: false, mtu: 1500, mac: k.nextMac(), master: null, addresses: [], observedKind: extra.kind, ...extra };
  k.links.set(linkKey(l), l);
  return l;
}

export function addLink(k: MemoryKernel, c: ChangeOf<'link.add'>): void {
  const d = c.link;
  const netns = d.netns ?? '';
  switch (d.kind) {
    case 'bridge':
      create(k, netns, d.name, { kind: 'bridge' });
      return;
    case 'ifb':
      create(k, netns, d.name, { kind: 'ifb' });
      return;
    case 'vxlan':
      if (d.vxlan?.dev) k.requireLink(netns, d.vxlan.dev);
      create(k, netns, d.name, { kind: 'vxlan', mtu: 1450, vxlan: { dstport: 8472, learning: true, proxy: false, ...d.vxlan! } });
      return;
    case 'veth': {
      const peerNs = d.peer!.netns ?? '';
      k.requireNs(peerNs);
      if (k.links.has(linkKey({ netns: peerNs, name: d.peer!.name }))) throw new KernelError(`RTNETLINK answers: File exists (${d.peer!.name})`);
      create(k, netns, d.name, { kind: 'veth', peer: { name: d.peer!.name, netns: peerNs } });
      create(k, peerNs, d.peer!.name, { kind: 'veth', peer: { name: d.name, netns } });
      return;
    }
    case 'external':
      throw new KernelError(`cannot create external link ${d.name}`);
  }
}

export function setLink(k: MemoryKernel, c: ChangeOf<'link.set'>): void {
  const l = k.requireLink(c.netns, c.name);
  if (c.master) {
    const m = k.requireLink(c.netns, c.master);
    if (m.kind !== 'bridge') throw new KernelError(`${c.master} is not a bridge`);
  }
  if (c.mtu !== undefined) l.mtu = c.mtu;
  if (c.mac !== undefined) l.mac = c.mac;
  if (c.master !== undefined) l.master = c.master;
  if (c.up !== undefined) l.up = c.up;
}

export function changeAddr(k: MemoryKernel, c: ChangeOf<'addr.add'> | ChangeOf<'addr.del'>): void {
  const l = k.requireLink(c.netns, c.dev);
  const cidr = normCidr(c.cidr);
  const has = (l.addresses ?? []).includes(cidr);
  if (c.kind === 'addr.add') {
    if (has) throw new KernelError('RTNETLINK answers: File exists');
    l.addresses = [...(l.addresses ?? []), cidr];
  } else {
    if (!has) throw new KernelError('RTNETLINK answers: Cannot assign requested address');
    l.addresses = l.addresses!.filter((a) => a !== cidr);
  }
}
