/**
 * A host's dataplane as plain, serialisable data. The same shape is used for the
 * desired state (what an agent computes) and the observed state (what a driver
 * reads back). Optional attributes left out of a desired object mean "don't care".
 *
 * `netns` undefined (or '') is the host's own namespace; a host may itself be a
 * network namespace (the driver is told which), so names here are relative to it.
 * Fields marked "observed" are filled in by drivers and ignored in desired state.
 */

export interface Namespace {
  name: string;
  /** observed: matches the ownership prefixes. */
  owned?: boolean;
}

/** `ifb`: an intermediate functional block, where traffic entering another device is redirected to be shaped (QoS). */
export type LinkKind = 'bridge' | 'veth' | 'vxlan' | 'ifb' | 'external';

export interface VethPeer {
  name: string;
  netns?: string;
}

export interface VxlanParams {
  vni: number;
  /** local VTEP address */
  local?: string;
  /** underlay device holding the local address */
  dev?: string;
  /** UDP port; the kernel default is 8472 */
  dstport?: number;
  learning?: boolean;
  proxy?: boolean;
  group?: string;
}

export interface Link {
  netns?: string;
  name: string;
  /** `external`: a device we never create or delete, only attach/configure (a physical NIC, a hypervisor's tap). */
  kind: LinkKind;
  /** defaults to true for links we create, "don't care" for external ones */
  up?: boolean;
  mtu?: number;
  mac?: string;
  /** bridge this link is enslaved to; null = none; undefined = don't care */
  master?: string | null;
  /** CIDRs (`10.0.0.1/24`); undefined = don't care. IPv6 link-local addresses are never compared. */
  addresses?: string[];
  /**
   * Addresses another program adds and removes on this link (keepalived's
   * virtual addresses): never compared, so a reconcile neither removes nor adds them.
   */
  foreignAddresses?: string[];
  peer?: VethPeer;
  vxlan?: VxlanParams;
  /** observed */
  owned?: boolean;
  /** observed: the kernel's link kind ('' for a physical device) */
  observedKind?: string;
}

/** A bridge forwarding entry with a remote destination (VXLAN unicast/flooding). */
export interface FdbEntry {
  netns?: string;
  dev: string;
  mac: string;
  dst: string;
}

export interface Route {
  netns?: string;
  /** CIDR or 'default' (then the family comes from `via`, or `family`) */
  dst: string;
  family?: 4 | 6;
  via?: string;
  dev?: string;
  /** routing table name or number; 'main' by default */
  table?: string;
  metric?: number;
  src?: string;
  /** observed */
  owned?: boolean;
  /** observed: the route's protocol (kernel, boot, static…) */
  protocol?: string;
  /**
   * A route another program manages (keepalived's virtual_routes): declaring it
   * keeps a reconcile from deleting it in a namespace we own; it is never added or changed.
   */
  external?: boolean;
}

export interface Sysctl {
  netns?: string;
  key: string;
  value: string;
}

export type IptFamily = 'ipv4' | 'ipv6';
export type IptTableName = 'filter' | 'nat' | 'mangle' | 'raw';

export interface IptChain {
  name: string;
  /** each rule is the argument string of `-A <chain>`, in iptables-save form */
  rules: string[];
  /**
   * A chain we don't own (built-in, or shared with other agents such as
   * `neutron-filter-top`): only our rules in it are managed, inserted at its top,
   * and the chain itself is never flushed or deleted. Built-in chains are always shared.
   */
  shared?: boolean;
  /** observed: false for built-in/shared/foreign chains (their `rules` then hold only ours) */
  owned?: boolean;
}

export interface IptTable {
  netns?: string;
  family: IptFamily;
  table: IptTableName;
  chains: IptChain[];
}

export type IpSetType = 'hash:net' | 'hash:ip';

export interface IpSet {
  netns?: string;
  name: string;
  type: IpSetType;
  family: 'inet' | 'inet6';
  members: string[];
  /** observed */
  owned?: boolean;
}

export interface ProcessFile {
  path: string;
  content: string;
  mode?: number;
}

export interface ManagedProcess {
  /** unique on the host, [A-Za-z0-9._-]+ (e.g. `dnsmasq-<network>`) */
  id: string;
  netns?: string;
  argv: string[];
  pidFile: string;
  files?: ProcessFile[];
  /** signal that makes the process re-read its files (dnsmasq: SIGHUP); without it a file change restarts it */
  reloadSignal?: NodeJS.Signals;
  /**
   * The reload replaces the process's children (HAProxy's master starts new workers on SIGUSR2): the reload
   * is done once a child that was not there before the signal runs (a signal sent while the last reload is
   * still under way may be lost: waiting serialises them). Linux driver; up to 5 s, then the reload fails.
   */
  reloadReplacesChildren?: boolean;
  /**
   * The command line of the process once it runs, when `argv` execs into another program in place
   * (e.g. `unshare … sh -c '…; exec charon'`): what the pid's /proc cmdline is checked against. Default: argv.
   */
  runsAs?: string[];
  /** the process forks and writes its own pid file; otherwise the driver writes the pid file */
  daemonizes?: boolean;
  /** observed */
  pid?: number;
  /** observed */
  running?: boolean;
}

/** A token bucket filter (tc-tbf): what leaves a device is shaped to `rate`. */
export interface TcTbf {
  /** bytes per second */
  rate: number;
  /** the bucket, bytes */
  burst: number;
  /** how long a packet may wait in the queue, ms */
  latencyMs: number;
}

/**
 * Traffic control on one device (QoS on a VM's tap): a tbf at the device's root
 * (shapes what leaves the device), and an ingress qdisc whose one filter
 * redirects everything entering the device to another device (an ifb, itself
 * shaped by its root tbf). null: none; a desired entry's nulls are removed.
 */
export interface DeviceTc {
  netns?: string;
  dev: string;
  root: TcTbf | null;
  redirectIngressTo: string | null;
}

export interface HostState {
  namespaces: Namespace[];
  links: Link[];
  fdb: FdbEntry[];
  routes: Route[];
  sysctls: Sysctl[];
  iptables: IptTable[];
  ipsets: IpSet[];
  processes: ManagedProcess[];
  /** Traffic control of the devices that have a desired (or observed) one; optional in literals. */
  tc?: DeviceTc[];
}
