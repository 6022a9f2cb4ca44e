import type { Change } from '../diff/changes';
import type { Link, Route } from '../model/types';
import { addrFamily } from '@neutrino/netaddr';
import { routeDst } from '../model/normalize';
import { realNetns } from './netns';

export interface RenderContext {
  /** the host's namespace, when the host is itself a network namespace */
  hostNetns?: string;
}

function linkAdd(l: Link, ctx: RenderContext): string {
  switch (l.kind) {
    case 'bridge':
      return `link add ${l.name} type bridge`;
    case 'ifb':
      return `link add ${l.name} type ifb`;
    case 'veth': {
      const peer = l.peer!;
      const same = (peer.netns ?? '') === (l.netns ?? '');
      // the root namespace has no name: address it through PID 1, which lives there
      const where = same ? '' : ` netns ${realNetns(peer.netns, ctx.hostNetns) ?? '1'}`;
      return `link add ${l.name} type veth peer name ${peer.name}${where}`;
    }
    case 'vxlan': {
      const v = l.vxlan!;
      const opts = [`id ${v.vni}`];
      if (v.local) opts.push(`local ${v.local}`);
      if (v.group) opts.push(`group ${v.group}`);
      if (v.dev) opts.push(`dev ${v.dev}`);
      if (v.dstport !== undefined) opts.push(`dstport ${v.dstport}`);
      if (v.learning !== undefined) opts.push(v.learning ? 'learning' : 'nolearning');
      if (v.proxy) opts.push('proxy');
      return `link add ${l.name} type vxlan ${opts.join(' ')}`;
    }
    case 'external':
      throw new Error(`external link ${l.name} cannot be created`);
  }
}

function routeSpec(r: Route): string {
  const parts = [routeDst(r)];
  if (r.via) parts.push(`via ${r.via}`);
  if (r.dev) parts.push(`dev ${r.dev}`);
  if (r.table && r.table !== 'main') parts.push(`table ${r.table}`);
  if (r.metric !== undefined) parts.push(`metric ${r.metric}`);
  return parts.join(' ');
}

/** The `ip -batch` line for a change handled by iproute2 (`ip` proper), or undefined. */
export function ipBatchLine(c: Change, ctx: RenderContext = {}): string | undefined {
  switch (c.kind) {
    case 'netns.add': return `netns add ${c.name}`;
    case 'netns.del': return `netns del ${c.name}`;
    case 'link.add': return linkAdd(c.link, ctx);
    case 'link.del': return `link del ${c.name}`;
    case 'link.set': {
      const p = [`link set dev ${c.name}`];
      if (c.mtu !== undefined) p.push(`mtu ${c.mtu}`);
      if (c.mac !== undefined) p.push(`address ${c.mac}`);
      if (c.master !== undefined) p.push(c.master === null ? 'nomaster' : `master ${c.master}`);
      if (c.up !== undefined) p.push(c.up ? 'up' : 'down');
      return p.join(' ');
    }
    case 'addr.add': return `addr add ${c.cidr}${addrFamily(c.cidr) === 4 ? ' brd +' : ''} dev ${c.dev}`;
    case 'addr.del': return `addr del ${c.cidr} dev ${c.dev}`;
    case 'route.set': {
      const src = c.route.src ? ` src ${c.route.src}` : '';
      return `route replace ${routeSpec(c.route)}${src} proto static`;
    }
    case 'route.del': return `route del ${routeSpec(c.route)}`;
    default: return undefined;
  }
}

/** The `bridge -batch` line for an FDB change, or undefined. */
export function bridgeBatchLine(c: Change): string | undefined {
  if (c.kind === 'fdb.add') return `fdb append ${c.entry.mac} dev ${c.entry.dev} dst ${c.entry.dst}`;
  if (c.kind === 'fdb.del') return `fdb del ${c.entry.mac} dev ${c.entry.dev} dst ${c.entry.dst}`;
  return undefined;
}
