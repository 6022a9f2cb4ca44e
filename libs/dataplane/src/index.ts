// Model
export type {
  FdbEntry,
  HostState,
  IpSet,
  IpSetType,
  IptChain,
  IptFamily,
  IptTable,
  IptTableName,
  DeviceTc,
  Link,
  LinkKind,
  TcTbf,
  ManagedProcess,
  Namespace,
  ProcessFile,
  Route,
  Sysctl,
  VethPeer,
  VxlanParams,
} from './model/types';
export { cloneState, emptyHostState, hostState, mergeStates } from './model/state';
export { portInNamespace } from './model/port-device';
export { fdbKey, ipsetKey, linkKey, processKey, routeKey, sysctlKey, tableKey, tcKey } from './model/keys';
export { parseTcJson } from './parse/tc-json';
export { tcBatchLines } from './render/tc-batch';
export { normSetMember } from './model/normalize';
export type { Ownership } from './model/ownership';
export { NEUTRON_OWNERSHIP, ownsChain, ownsIpset, ownsLink, ownsNetns, ownsRule } from './model/ownership';
export { builtinChains, comment, isBuiltinChain, ruleKey, ruleTarget, tokenizeRule } from './model/rules';

// Diff
export type { Change, ChangeKind, ChangeOf, TableRef, Unresolved } from './diff/changes';
export { diff, diffDetailed, type DiffOptions, type DiffResult } from './diff/diff';
export { phaseOf, sortChanges } from './diff/order';
export { DEFAULT_IPSET_SWAP_THRESHOLD } from './diff/ipsets';

// Renderers
export { bridgeBatchLine, ipBatchLine, type RenderContext } from './render/ip-batch';
export { renderIptablesRestore, type IptablesChange } from './render/iptables-restore';
export { renderIptablesSave } from './render/iptables-save';
export { ipsetRestoreLines, renderIpsetRestore, swapName, type IpsetChange } from './render/ipset-restore';

// Parsers
export { parseIptablesSave, projectTable } from './parse/iptables-save';
export { parseIpsetSave } from './parse/ipset-save';
export { parseFdbJson, parseIpAddrJson, parseNetnsIds } from './parse/ip-json';
export { parseRoutesJson } from './parse/routes';

// Drivers
export type { ApplyError, ApplyResult, Driver, Scope } from './driver/driver';
export { MemoryDriver } from './driver/memory/memory-driver';

// Reconcile
export { reconcile, scopeFor, type ReconcileOptions, type ReconcileResult } from './reconcile';
export { InstalledState } from './installed';
export { changedKeys, changedKeysAmong, isDesiredObjects, objectsOf, restrictState, chainObjectKey, type DesiredObjects, type ObjectKey } from './diff/scoped';
export { LinuxDriver, type LinuxDriverOptions } from './driver/linux/linux-driver';
export { planLinux, type CommandStep, type ProcessStep, type Step } from './driver/linux/plan';
export { execArgv, type Exec, type ExecResult } from './driver/linux/exec';

// dnsmasq
export type { DhcpHost, DhcpHostRoute, DhcpSubnet, DnsmasqNetwork } from './dnsmasq/types';
export { hostName, renderAddnHostsFile, renderHostsFile, renderOptsFile } from './dnsmasq/files';
export { dnsmasqArgv, dnsmasqProcess } from './dnsmasq/process';

// Open vSwitch: per-host daemons, the vsctl/ofctl driver, flows diffed by cookie
export * from './ovs';
