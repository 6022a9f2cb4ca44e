import type { Ownership } from '@neutrino/dataplane';
import { FWAAS_CHAIN_PREFIXES, L3_FORWARD_CHAIN } from '@neutrino/naming';

/**
 * What the fwaas-agent owns on a host: only its chains in the router namespaces
 * (`neutron-l3-agent-iv4…`/`ov4…`/`iv6…`/`ov6…`, `neutron-l3-agent-fwaas-defau`) and the
 * jumps to them — in the l3-agent's `neutron-l3-agent-FORWARD` (shared by rule) and in
 * ip6tables' FORWARD. No namespace, no device: the `qrouter-` namespaces are the l3-agent's.
 */
export const fwaasOwnership = (): Ownership => ({
  netnsPrefixes: [],
  linkPrefixes: [],
  chainPrefixes: FWAAS_CHAIN_PREFIXES,
  sharedChains: [L3_FORWARD_CHAIN],
  ipsetPrefixes: [],
});
