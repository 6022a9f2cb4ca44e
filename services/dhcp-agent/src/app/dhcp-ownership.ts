import type { Ownership } from '@neutrino/dataplane';

/**
 * What the DHCP agent owns on a host: its `qdhcp-` namespaces and the `ns-`
 * ends inside them — and no `tap` at all. The host ends of its veth pairs
 * share the `tap` prefix with instances' taps (and the l2-agent's, LBaaS's …),
 * so owning the prefix would let a stale-device sweep delete devices it never
 * made. It never needs to: deleting an `ns-` end (or its namespace) takes the
 * veth's `tap` end with it.
 */
export const dhcpOwnership = (netnsPrefix = ''): Ownership => ({
  netnsPrefixes: [`${netnsPrefix}qdhcp-`],
  linkPrefixes: ['ns-'],
  chainPrefixes: [],
  ipsetPrefixes: [],
});
