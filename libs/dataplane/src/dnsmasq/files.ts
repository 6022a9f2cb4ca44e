import { addrFamily, normAddr } from '@neutrino/netaddr';
import type { DhcpSubnet, DnsmasqNetwork } from './types';

const lines = (ls: string[]) => ls.map((l) => `${l}\n`).join('');
const enabled = (s: DhcpSubnet) => s.enableDhcp !== false;

/** `host-192-168-204-52` (IPv6: colons become dashes too). */
export const hostName = (ip: string): string => `host-${normAddr(ip).replace(/[.:]/g, '-')}`;
const fqdn = (ip: string, domain?: string) => (domain ? `${hostName(ip)}.${domain}` : hostName(ip));
const hostIp = (ip: string) => (addrFamily(ip) === 6 ? `[${normAddr(ip)}]` : normAddr(ip));

/** The `host` file: `<mac>[,set:<port>],host-<ip>.<domain>,<ip>` per fixed IP. */
export function renderHostsFile(n: DnsmasqNetwork): string {
  return lines(
    n.hosts.map((h) => {
      const tag = h.extraOpts?.length && h.portId ? `set:${h.portId},` : '';
      return `${h.mac.toLowerCase()},${tag}${fqdn(h.ip, n.domain)},${hostIp(h.ip)}`;
    }),
  );
}

/** The `addn_hosts` file: `<ip>\t<fqdn> <hostname>`. */
export const renderAddnHostsFile = (n: DnsmasqNetwork): string =>
  lines(n.hosts.map((h) => `${normAddr(h.ip)}\t${fqdn(h.ip, n.domain)} ${hostName(h.ip)}`));

function v4Options(n: DnsmasqNetwork, s: DhcpSubnet, tag: string): string[] {
  const out: string[] = [];
  if (s.dnsNameservers?.length) out.push(`tag:${tag},option:dns-server,${s.dnsNameservers.join(',')}`);
  const hostRoutes = s.hostRoutes ?? [];
  const gateway = s.gatewayIp ?? hostRoutes.find((r) => r.destination === '0.0.0.0/0')?.nexthop ?? null;
  const routes = hostRoutes.filter((r) => r.destination !== '0.0.0.0/0').map((r) => `${r.destination},${r.nexthop}`);
  if (s.metadataNexthop) routes.push(`169.254.169.254/32,${s.metadataNexthop}`);
  for (const other of n.subnets) if (other !== s && addrFamily(other.cidr) === 4) routes.push(`${other.cidr},0.0.0.0`);
  if (routes.length && gateway) routes.push(`0.0.0.0/0,${gateway}`);
  if (routes.length) out.push(`tag:${tag},option:classless-static-route,${routes.join(',')}`, `tag:${tag},249,${routes.join(',')}`);
  out.push(gateway ? `tag:${tag},option:router,${gateway}` : `tag:${tag},option:router`);
  return out;
}

/** The `opts` file: per DHCP subnet (tag<i>) DNS servers, classless routes (121 and 249), router; then per-port options. */
export function renderOptsFile(n: DnsmasqNetwork): string {
  const out: string[] = [];
  n.subnets.filter(enabled).forEach((s, i) => {
    const tag = `tag${i}`;
    if (addrFamily(s.cidr) === 4) out.push(...v4Options(n, s, tag));
    else if (s.dnsNameservers?.length) out.push(`tag:${tag},option6:dns-server,${s.dnsNameservers.map((d) => `[${d}]`).join(',')}`);
  });
  const seen = new Set<string>();
  for (const h of n.hosts) {
    if (!h.portId || !h.extraOpts?.length || seen.has(h.portId)) continue;
    seen.add(h.portId);
    out.push(...h.extraOpts.map((o) => `tag:${h.portId},option:${o.name},${o.value}`));
  }
  return lines(out);
}
