/*
 * Names of the devices, namespaces and chains Neutron's agents create
 * (spec/l2.md §8, spec/l3.md §2.1 and §3.2, spec/ipam-and-dhcp.md §8.3): a
 * prefix and the start of the id, cut so that a link name fits IFNAMSIZ (15)
 * and a chain name iptables' 28 characters.
 */

/** Characters of a port or network id in a device name (`tap` + 11 = 14). */
export const DEVICE_ID_LENGTH = 11;
/** Characters of a port id in a per-port chain name (`neutron-linuxbri-i` + 10 = 28). */
export const CHAIN_ID_LENGTH = 10;

const device = (prefix: string) => (id: string): string => `${prefix}${id.slice(0, DEVICE_ID_LENGTH)}`;

/** The host end of a port: what a hypervisor plugs (an instance's tap) or an agent's veth end. */
export const tapName = device('tap');
/** The LinuxBridge of a network. */
export const bridgeName = device('brq');
/** The end of a DHCP port inside its qdhcp- namespace. */
export const nsDeviceName = device('ns-');
/** A router's interface port inside qrouter-. */
export const qrName = device('qr-');
/** A router's gateway port inside qrouter-. */
export const qgName = device('qg-');
/** An HA router's keepalived port inside qrouter-. */
export const haName = device('ha-');
/** The ifb a port's traffic from the VM is redirected to and shaped in (QoS egress limit; `qfb` devices are owned). */
export const qosIfbName = device('qfb');
/**
 * A port's DSCP-marking chain in the mangle table: Neutron's linuxbridge QoS driver names it
 * `qos-o<device[3:]>` and iptables_manager cuts a wrapped chain to 11 characters: `neutron-linuxbri-qos-o<port[:6]>`.
 */
export const qosDscpChainName = (portId: string, prefix = L2_CHAIN_PREFIX): string => `${prefix}${`qos-o${portId.slice(0, DEVICE_ID_LENGTH)}`.slice(0, 11)}`;
/** The VXLAN device of a segment. */
export const vxlanName = (vni: number): string => `vxlan-${vni}`;

/** `qdhcp-<network>`, behind the agent's namespace prefix (test bed hosts share one machine). */
export const dhcpNetns = (networkId: string, prefix = ''): string => `${prefix}qdhcp-${networkId}`;
/** `qrouter-<router>`, behind the agent's namespace prefix. */
export const routerNetns = (routerId: string, prefix = ''): string => `${prefix}qrouter-${routerId}`;
/** A load balancer's namespace: `qlbaas-<loadbalancer_id>` (spec/lbaas.md §10). */
export const lbaasNetns = (loadbalancerId: string, prefix = ''): string => `${prefix}qlbaas-${loadbalancerId}`;

/** The chains of an agent: its binary's name cut to 16 characters, then `-` (iptables_manager's wrap name). */
export const chainPrefix = (binary: string): string => `${binary.slice(0, 16)}-`;
/** The LinuxBridge agent's chains: `neutron-linuxbri-`. */
export const L2_CHAIN_PREFIX = chainPrefix('neutron-linuxbridge-agent');
/** The Open vSwitch agent's hybrid firewall chains: `neutron-openvswi-`. */
export const OVS_CHAIN_PREFIX = chainPrefix('neutron-openvswitch-agent');
/** The l3-agent's chains: `neutron-l3-agent-`. */
export const L3_CHAIN_PREFIX = chainPrefix('neutron-l3-agent');
/** The chain every agent's filter rules hang off, shared between them (only our rules in it are ours). */
export const FILTER_TOP_CHAIN = 'neutron-filter-top';
/** A port's chain: `i` ingress, `o` egress, `s` anti-spoofing, then the port id's first 10 characters. */
export const portChainName = (kind: 'i' | 'o' | 's', portId: string, prefix = L2_CHAIN_PREFIX): string =>
  `${prefix}${kind}${portId.slice(0, CHAIN_ID_LENGTH)}`;

/* Open vSwitch (spec/l2.md §5.1, §5.2, §8). */
/** The integration bridge (option integration_bridge, not to be changed). */
export const INTEGRATION_BRIDGE = 'br-int';
/** The tunnel bridge (option tunnel_bridge), created by the agent. */
export const TUNNEL_BRIDGE = 'br-tun';
/** The patch pair between br-int and br-tun: `patch-tun` on br-int, `patch-int` on br-tun. */
export const PATCH_TUN = 'patch-tun';
export const PATCH_INT = 'patch-int';
/** The per-port Linux bridge of the hybrid firewall and its veth pair's ends (`qvb` in `qbr`, `qvo` in br-int). */
export const qbrName = device('qbr');
export const qvbName = device('qvb');
export const qvoName = device('qvo');
/** The patch pair of a provider bridge `br-<x>`: `int-br-<x>` on br-int, `phy-br-<x>` on the provider bridge. */
export const intBridgePatchName = (providerBridge: string): string => `int-${providerBridge}`;
export const phyBridgePatchName = (providerBridge: string): string => `phy-${providerBridge}`;
/** A br-tun tunnel port: `<type>-<remote IPv4 as 8 lower-case hex digits>` (10.254.254.200 → vxlan-0afefec8). */
export const tunnelPortName = (type: 'vxlan' | 'gre' | 'geneve', remoteIp: string): string => {
  const octets = remoteIp.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) throw new Error(`not an IPv4 address: ${remoteIp}`);
  return `${type}-${octets.map((o) => o.toString(16).padStart(2, '0')).join('')}`;
};

/**
 * FWaaS chains in a router namespace (spec/fwaas.md §5): they keep the l3-agent's prefix (as Neutron's, whose
 * l3 agent runs FWaaS) but belong to the fwaas-agent, which also owns the jumps to them in the l3-agent's
 * `neutron-l3-agent-FORWARD` (a chain both agents share, by rule).
 */
export const L3_FORWARD_CHAIN = `${L3_CHAIN_PREFIX}FORWARD`;
/** "fwaas-default-policy" cut to 11 characters: the drop every filtered direction ends in */
export const FWAAS_DEFAULT_CHAIN = `${L3_CHAIN_PREFIX}fwaas-defau`;
/** `i`/`o` + `v4`/`v6` + the firewall (group) id's first 8 characters */
export const fwaasChainName = (dir: 'i' | 'o', version: 4 | 6, firewallId: string): string => `${L3_CHAIN_PREFIX}${dir}v${version}${firewallId.slice(0, 8)}`;
/** What names a fwaas-agent's chain (and what the l3-agent must not own). */
export const FWAAS_CHAIN_PREFIXES = ['iv4', 'ov4', 'iv6', 'ov6'].map((p) => `${L3_CHAIN_PREFIX}${p}`).concat(FWAAS_DEFAULT_CHAIN);

/**
 * Floating IP port forwarding (Neutron's l3 agent port_forwarding extension): the router's nat
 * `neutron-l3-agent-PREROUTING` jumps to `neutron-l3-agent-fip-pf`, which jumps to one chain per
 * forwarding, `pf-` + its id, cut to 11 characters (MAX_IPTABLES_CHAIN_LEN_WRAP).
 */
export const PF_DEFAULT_CHAIN = `${L3_CHAIN_PREFIX}fip-pf`;
export const pfChainName = (portForwardingId: string): string => `${L3_CHAIN_PREFIX}${`pf-${portForwardingId}`.slice(0, 11)}`;
