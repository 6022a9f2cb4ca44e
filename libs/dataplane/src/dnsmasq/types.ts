export interface DhcpHostRoute {
  destination: string;
  nexthop: string;
}

export interface DhcpSubnet {
  cidr: string;
  /** null = no gateway */
  gatewayIp?: string | null;
  dnsNameservers?: string[];
  hostRoutes?: DhcpHostRoute[];
  /** default true; only DHCP-enabled subnets get a tag and a range */
  enableDhcp?: boolean;
  /** the DHCP port's address here, when the subnet is isolated and isolated metadata is on (adds 169.254.169.254/32) */
  metadataNexthop?: string;
}

/** One fixed IP of a port on a DHCP-enabled subnet (the DHCP port included). */
export interface DhcpHost {
  mac: string;
  ip: string;
  portId?: string;
  /** `extra_dhcp_opts`: tags the host line with the port id and adds `tag:<port>,option:<name>,<value>` */
  extraOpts?: { name: string; value: string }[];
}

/** Everything one network's dnsmasq is rendered from (spec/ipam-and-dhcp.md §9). */
export interface DnsmasqNetwork {
  networkId: string;
  /** all subnets of the network, in network order */
  subnets: DhcpSubnet[];
  hosts: DhcpHost[];
  /** the namespace end of the DHCP port (`ns-…` / `tap…`) */
  interfaceName: string;
  /** `qdhcp-<network>` (or prefixed on a test bed host) */
  netns: string;
  /** directory of the network's files, e.g. `/var/lib/neutron/dhcp/<network>` */
  confDir: string;
  domain?: string;
  /** seconds; default 86400; -1 = infinite */
  leaseSeconds?: number;
  /** the network MTU, pushed as option 26 in every offer (`--dhcp-option-force=option:mtu,<mtu>`, spec §9.2) */
  mtu?: number;
  dnsmasqConfigFile?: string;
  dnsServers?: string[];
}
