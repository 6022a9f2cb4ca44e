import type { Ownership } from '@neutrino/dataplane';

/**
 * What the lbaas-agent owns on a host: its `qlbaas-` namespaces and the `ns-`
 * ends inside them — no `tap` (the host ends share the prefix with instances'
 * and DHCP's taps; deleting the `ns-` end or the namespace takes the veth's
 * `tap` end with it), as the DHCP agent's ownership.
 */
export const lbaasOwnership = (netnsPrefix = ''): Ownership => ({
  netnsPrefixes: [`${netnsPrefix}qlbaas-`],
  linkPrefixes: ['ns-'],
  chainPrefixes: [],
  ipsetPrefixes: [],
});
