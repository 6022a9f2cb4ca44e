import type { HostState } from '../model/types';
import type { Change, Unresolved } from './changes';
import { diffIpsets } from './ipsets';
import { diffIptables } from './iptables';
import { diffLinks } from './links';
import { diffFdb, diffNamespaces, diffRoutes, diffSysctls, ownedLinkKeys } from './misc';
import { sortChanges } from './order';
import { diffProcesses } from './processes';
import { diffTc } from './tc';

export interface DiffOptions {
  /** member changes above this count rebuild an ipset and swap it in (default 128) */
  ipsetSwapThreshold?: number;
}

export interface DiffResult {
  changes: Change[];
  unresolved: Unresolved[];
}

/**
 * The changes that turn `observed` into `desired`, in apply order. Pure and
 * deterministic. Observed objects not marked `owned` are never changed or deleted.
 */
export function diffDetailed(desired: HostState, observed: HostState, opts: DiffOptions = {}): DiffResult {
  const nsPlan = diffNamespaces(desired.namespaces, observed.namespaces);
  const deleted = nsPlan.deleted;
  const links = diffLinks(desired.links, observed.links, deleted, nsPlan.created);
  const ipt = diffIptables(desired.iptables, observed.iptables, deleted);
  const sets = diffIpsets(desired.ipsets, observed.ipsets, deleted, opts.ipsetSwapThreshold);
  const changes: Change[] = [
    ...nsPlan.changes,
    ...links.changes,
    ...diffFdb(desired.fdb, observed.fdb, ownedLinkKeys(observed), links.gone, deleted),
    ...diffRoutes(desired.routes, observed.routes, links.gone, deleted),
    ...diffSysctls(desired.sysctls, observed.sysctls, deleted),
    ...diffTc(desired.tc ?? [], observed.tc ?? [], deleted),
    ...sets.changes,
    ...ipt.changes,
    ...diffProcesses(desired.processes, observed.processes),
  ];
  return { changes: sortChanges(changes), unresolved: [...links.unresolved, ...ipt.unresolved, ...sets.unresolved] };
}

export function diff(desired: HostState, observed: HostState, opts?: DiffOptions): Change[] {
  return diffDetailed(desired, observed, opts).changes;
}
