import { createHash } from 'node:crypto';

/** RFC 4122 name space of DNS names (the one Neutron hashes host names in). */
const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/** A version 5 (SHA-1, name-based) UUID of `name` in `namespace`. */
export function uuid5(name: string, namespace = NAMESPACE_DNS): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The DHCP port's device_id: `dhcp<uuid5(host)>-<network_id>` (spec/ipam-and-dhcp.md §8.3). */
export const dhcpDeviceId = (host: string, networkId: string): string => `dhcp${uuid5(host)}-${networkId}`;
