import type { Ownership } from '@neutrino/dataplane';
import { FILTER_TOP_CHAIN, FWAAS_CHAIN_PREFIXES, L3_FORWARD_CHAIN } from '@neutrino/naming';
import { L3, POSTROUTING_BOTTOM } from '../desired/nat-rules';

/**
 * What the l3-agent owns on a host: its `qrouter-` namespaces (behind the
 * prefix) with everything in them, the `qr-`/`qg-`/`ha-` ends, and only its
 * own chains (`neutron-l3-agent-…` but the fwaas-agent's, `neutron-postrouting-bottom`) — never a
 * `tap`: the host ends of its veths share the prefix with instances' taps and
 * go with their namespace ends; nor the l2-agent's chains in the host namespace.
 */
export const l3Ownership = (netnsPrefix = ''): Ownership => ({
  netnsPrefixes: [`${netnsPrefix}qrouter-`],
  linkPrefixes: ['qr-', 'qg-', 'ha-'],
  chainPrefixes: [L3, POSTROUTING_BOTTOM],
  // the fwaas-agent's chains (and its jumps in the shared FORWARD chain) are not ours
  excludedChainPrefixes: FWAAS_CHAIN_PREFIXES,
  sharedChains: [FILTER_TOP_CHAIN, L3_FORWARD_CHAIN],
  ipsetPrefixes: [],
});
