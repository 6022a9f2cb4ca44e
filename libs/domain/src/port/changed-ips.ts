/** How a fixed_ips update maps onto the port's addresses (_get_changed_ips_for_port and friends). */
import type { FixedIp, Subnet } from '../model';
import { canonicalIp, parseIp } from '@neutrino/netaddr';
import { ROUTER_INTERFACE_OWNERS_SNAT } from '@neutrino/naming';
import {
  FixedIpLookup, IpRequest, autoAddressRequests, isAutoAddressSubnet,
  requestsForFixedIps,
} from './fixed-ips';

export interface FixedIpsChange {
  keep: FixedIp[];
  add: IpRequest[];
  release: FixedIp[];
}

/** ipv6_utils.is_eui64_address: an IPv6 address whose interface id has the ff:fe of an EUI-64. */
export function isEui64Address(address: string): boolean {
  const ip = parseIp(address);
  return !!ip && ip.version === 6 && ((ip.value & 0xffff000000n) ^ 0xfffe000000n) === 0n;
}

const requiredBySubnet = (subnetId: string, subnets: Subnet[], deviceOwner: string): boolean => {
  if (ROUTER_INTERFACE_OWNERS_SNAT.includes(deviceOwner)) return true;
  const s = subnets.find((x) => x.id === subnetId);
  return !(s && isAutoAddressSubnet(s));
};

/**
 * The new fixed_ips against the current ones: given addresses already held are
 * kept, subnet-only entries reuse an address held on that subnet, the rest is
 * added; current addresses not asked for are released (auto addresses stay).
 * `macChanged` re-derives the EUI-64 addresses, as Zed does on a MAC change.
 */
export function changedFixedIps(
  current: FixedIp[],
  requested: Array<Record<string, unknown>>,
  ctx: FixedIpLookup,
  macChanged: boolean,
): FixedIpsChange {
  const regenerate = new Set(macChanged ? current.filter((f) => isEui64Address(f.ip_address)).map((f) => f.subnet_id) : []);
  const ips = requested.filter((ip) => !regenerate.has(ip.subnet_id as string));
  const keep: FixedIp[] = [];
  const addRaw: Array<Record<string, unknown>> = [];
  const origByIp = new Map(current.map((f) => [canonicalIp(f.ip_address), f]));
  for (const ip of ips) {
    if (!('ip_address' in ip)) continue;
    const key = canonicalIp(String(ip.ip_address));
    const orig = origByIp.get(key);
    if (orig) {
      keep.push(orig);
      origByIp.delete(key);
    } else addRaw.push(ip);
  }
  const origBySubnet = new Map<string, FixedIp[]>();
  for (const f of origByIp.values()) origBySubnet.set(f.subnet_id, [...(origBySubnet.get(f.subnet_id) ?? []), f]);
  const candidates: FixedIp[] = [];
  for (const ip of ips) {
    if ('ip_address' in ip) continue;
    const orig = origBySubnet.get(ip.subnet_id as string);
    if (!orig || orig.length === 0) {
      addRaw.push(ip);
      continue;
    }
    const o = orig.pop()!;
    if (isEui64Address(o.ip_address)) {
      addRaw.push(ip);
      candidates.push(o);
    } else keep.push(o);
  }
  const release: FixedIp[] = [];
  for (const f of [...[...origBySubnet.values()].flat(), ...candidates]) {
    if (requiredBySubnet(f.subnet_id, ctx.subnets, ctx.deviceOwner) || regenerate.has(f.subnet_id)) release.push(f);
    else keep.push(f);
  }
  const add = requestsForFixedIps(addRaw, ctx);
  const handled = [...add, ...keep, ...release].map((x) => x.subnet_id).filter((id) => !regenerate.has(id));
  add.push(...autoAddressRequests(ctx.subnets, ctx.deviceOwner, handled));
  return { keep, add, release };
}
