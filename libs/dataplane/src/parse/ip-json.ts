import type { FdbEntry, Link, LinkKind } from '../model/types';

/** The fields of `ip -d -json addr show` we read. */
export interface IpJsonLink {
  ifindex: number;
  ifname: string;
  flags?: string[];
  mtu?: number;
  address?: string;
  master?: string;
  link?: string;
  link_index?: number;
  link_netnsid?: number;
  linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> };
  addr_info?: { family: string; local: string; prefixlen: number; scope?: string }[];
}

const KINDS: LinkKind[] = ['bridge', 'veth', 'vxlan', 'ifb'];

export interface ParsedLink extends Link {
  ifindex: number;
  /** a veth peer in another namespace: its ifindex and netnsid, resolved by the caller */
  peerRef?: { ifindex: number; netnsid: number };
}

/** Parse `ip -d -json addr show` (links with their addresses). */
export function parseIpAddrJson(json: string, netns = ''): ParsedLink[] {
  const rows = JSON.parse(json || '[]') as IpJsonLink[];
  const byIndex = new Map(rows.map((r) => [r.ifindex, r.ifname]));
  return rows.map((r) => {
    const info = r.linkinfo?.info_kind ?? '';
    const kind: LinkKind = (KINDS as string[]).includes(info) ? (info as LinkKind) : 'external';
    const l: ParsedLink = {
      netns,
      name: r.ifname,
      kind,
      observedKind: info,
      ifindex: r.ifindex,
      up: (r.flags ?? []).includes('UP'),
      mtu: r.mtu,
      mac: r.address,
      master: r.master ?? null,
      addresses: (r.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`),
    };
    if (kind === 'veth') {
      if (r.link_netnsid !== undefined && r.link_index !== undefined) l.peerRef = { ifindex: r.link_index, netnsid: r.link_netnsid };
      else if (r.link) l.peer = { name: r.link, netns };
      else if (r.link_index !== undefined && byIndex.has(r.link_index)) l.peer = { name: byIndex.get(r.link_index)!, netns };
    }
    if (kind === 'vxlan') {
      const d = r.linkinfo?.info_data ?? {};
      l.vxlan = {
        vni: Number(d.id),
        local: (d.local ?? d.local6) as string | undefined,
        dev: d.link as string | undefined,
        dstport: d.port as number | undefined,
        learning: d.learning as boolean | undefined,
        proxy: !!d.proxy,
        group: (d.group ?? d.group6) as string | undefined,
      };
    }
    return l;
  });
}

/** Parse `ip -json netns list` run inside a namespace: netnsid → name as seen from there. */
export function parseNetnsIds(json: string): Map<number, string> {
  const rows = JSON.parse(json || '[]') as { name: string; id?: number }[];
  return new Map(rows.filter((r) => r.id !== undefined).map((r) => [r.id!, r.name]));
}

/** Parse `bridge -json fdb show`: only entries with a remote destination (VXLAN). */
export function parseFdbJson(json: string, netns = ''): FdbEntry[] {
  const rows = JSON.parse(json || '[]') as { mac: string; ifname: string; dst?: string }[];
  return rows.filter((r) => r.dst).map((r) => ({ netns, dev: r.ifname, mac: r.mac.toLowerCase(), dst: r.dst! }));
}
