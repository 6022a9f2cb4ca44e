import * as path from 'node:path';

/**
 * Every setting Neutrino reads, with its environment variable and default.
 * docs/configuration.md is generated from this table (`neutrino config docs`)
 * and a unit test keeps the two in step.
 */
export interface SettingSpec {
  env: string;
  default: string;
  description: string;
}

export const SETTINGS = {
  dataDir: { env: 'NEUTRINO_DATA_DIR', default: '.neutrino-data', description: 'Directory for the embedded nats-server store (nats/) and the SQLite projection of each service (e.g. api-gateway.sqlite). The dhcp-agent keeps dnsmasq\'s files in dhcp/ under it, or in /run/neutrino/dhcp-<hash> when dnsmasq\'s unprivileged user cannot reach it (a 0700 `mktemp -d` directory).' },
  apiHost: { env: 'NEUTRINO_API_HOST', default: '127.0.0.1', description: 'Address the Neutron API (api-gateway) listens on.' },
  apiPort: { env: 'NEUTRINO_API_PORT', default: '9696', description: 'Port of the Neutron v2.0 API.' },
  natsUrl: { env: 'NEUTRINO_NATS_URL', default: '', description: 'Comma-separated NATS server URLs. Empty: `neutrino start` runs its own nats-server -js on 127.0.0.1:NEUTRINO_NATS_PORT.' },
  natsPort: { env: 'NEUTRINO_NATS_PORT', default: '4222', description: 'Client port of the embedded nats-server (only when NEUTRINO_NATS_URL is empty).' },
  natsMemoryLimit: { env: 'NEUTRINO_NATS_MEMORY_LIMIT', default: '256MiB', description: 'Soft memory limit of the embedded nats-server (Go\'s `GOMEMLIMIT`, e.g. `256MiB`; empty = none): near it the server\'s garbage collector runs more often and gives memory back to the system, so its resident set stays near the limit instead of growing with what compactions and replays read. Only when NEUTRINO_NATS_URL is empty.' },
  stream: { env: 'NEUTRINO_STREAM', default: 'NEUTRINO', description: 'Name of the JetStream stream that holds the event log (subjects evt.>).' },
  streamReplicas: { env: 'NEUTRINO_STREAM_REPLICAS', default: '1', description: 'Replicas of the event stream (3 on a 3-node NATS cluster).' },
  authStrategy: { env: 'NEUTRINO_AUTH_STRATEGY', default: 'noauth', description: '`noauth`: identity from X-Project-Id/X-Tenant-Id, X-User-Id, X-Roles; no headers = admin in the default project. `keystone`: every request (below /v2.0, and Octavia\'s /v2/lbaas) needs an X-Auth-Token that NEUTRINO_KEYSTONE_URL validates (GET /v3/auth/tokens); identity headers a client sends are ignored, and 401 answers as keystonemiddleware does. `GET /` (the versions document) stays open, as in Neutron\'s api-paste.ini. Clients of the API in the suite (the dhcp-agent, the test bed\'s helpers) then log in with the service credentials below.' },
  keystoneUrl: { env: 'NEUTRINO_KEYSTONE_URL', default: '', description: 'keystone: the Identity v3 endpoint, e.g. http://127.0.0.1:5000/v3 (also what `WWW-Authenticate: Keystone uri="…"` names in a 401).' },
  keystoneUsername: { env: 'NEUTRINO_KEYSTONE_USERNAME', default: 'neutron', description: 'keystone: the service user Neutrino validates tokens as, and that its own API clients log in as (it needs the `service` or `admin` role on the service project; the dhcp-agent creates ports of other projects, so `admin`).' },
  keystonePassword: { env: 'NEUTRINO_KEYSTONE_PASSWORD', default: '', description: 'keystone: the service user\'s password.' },
  keystoneProjectName: { env: 'NEUTRINO_KEYSTONE_PROJECT_NAME', default: 'service', description: 'keystone: the project the service user\'s token is scoped to.' },
  keystoneUserDomainName: { env: 'NEUTRINO_KEYSTONE_USER_DOMAIN_NAME', default: 'Default', description: 'keystone: domain of the service user.' },
  keystoneProjectDomainName: { env: 'NEUTRINO_KEYSTONE_PROJECT_DOMAIN_NAME', default: 'Default', description: 'keystone: domain of the service project.' },
  keystoneTokenCacheTtlMs: { env: 'NEUTRINO_KEYSTONE_TOKEN_CACHE_TTL_MS', default: '30000', description: 'keystone: how long the gateway trusts a validated token without asking Keystone again (never past the token\'s expires_at). A revoked token stops working within this time; 0 = ask Keystone on every request.' },
  noauthProjectId: { env: 'NEUTRINO_NOAUTH_PROJECT_ID', default: 'admin', description: 'Project of a caller that sends no identity headers (noauth).' },
  typeDrivers: { env: 'NEUTRINO_TYPE_DRIVERS', default: 'flat,vlan,vxlan,local', description: 'Network types that may be created (ML2 type_drivers): flat, vlan, vxlan, gre, local. The default is the reference server\'s; add `gre` for GRE networks (the openvswitch mechanism wires them).' },
  tenantNetworkTypes: { env: 'NEUTRINO_TENANT_NETWORK_TYPES', default: 'vxlan', description: 'Ordered network types given to tenant networks (ML2 tenant_network_types): vxlan, gre, vlan, local.' },
  vniRanges: { env: 'NEUTRINO_VNI_RANGES', default: '1:1000', description: 'VXLAN VNI ranges for tenant networks, `min:max[,min:max]`.' },
  greRanges: { env: 'NEUTRINO_GRE_RANGES', default: '1:1000', description: 'GRE tunnel key ranges for tenant networks (ML2 tunnel_id_ranges), `min:max[,min:max]`. Only the openvswitch mechanism wires GRE networks; LinuxBridge hosts refuse their ports (binding_failed).' },
  vlanRanges: { env: 'NEUTRINO_NETWORK_VLAN_RANGES', default: 'physnet1:100:199', description: 'VLAN ranges, `physnet:min:max[,physnet[:min:max]]` (a bare physnet allows provider VLANs only).' },
  flatNetworks: { env: 'NEUTRINO_FLAT_NETWORKS', default: '*', description: 'Physical networks that may carry flat networks (`*` = any).' },
  physnetMtu: { env: 'NEUTRINO_GLOBAL_PHYSNET_MTU', default: '1500', description: 'MTU of the physical networks; tenant network MTUs subtract the overlay overhead.' },
  baseMac: { env: 'NEUTRINO_BASE_MAC', default: 'fa:16:3e:00:00:00', description: 'MAC prefix of generated port addresses (the first three octets are kept).' },
  controller: { env: 'NEUTRINO_CONTROLLER', default: 'shared', description: '`neutrino start`: `shared` runs ipam, the api-gateway and the metadata service in one Node process (`controller`: one copy of their libraries, ~120 MiB less); `separate` runs each in its own process (a crash or restart then touches one service only).' },
  ipamReplicas: { env: 'NEUTRINO_IPAM_REPLICAS', default: '1', description: 'How many ipam processes `neutrino start` runs (they share the work through a NATS queue group).' },
  apiMaxBodySize: { env: 'NEUTRINO_API_MAX_BODY_SIZE', default: '1048576', description: 'Largest request body the API accepts, in bytes (larger: 413, like oslo\'s max_request_body_size). Bodies also may not nest deeper than 32 levels (400).' },
  maxFixedIpsPerPort: { env: 'NEUTRINO_MAX_FIXED_IPS_PER_PORT', default: '16', description: 'Most fixed IPs one port create or update may ask for (Neutron\'s former max_fixed_ips_per_port); more: 400 before anything is allocated.' },
  gatewayMetricsPort: { env: 'NEUTRINO_GATEWAY_METRICS_PORT', default: '0', description: 'Port for the api-gateway\'s Prometheus /metrics on 127.0.0.1, apart from the public API (0 = off; the API port answers 404 for /metrics).' },
  ipamTimeoutMs: { env: 'NEUTRINO_IPAM_TIMEOUT_MS', default: '5000', description: 'How long the gateway waits for an ipam answer.' },
  commandDeadlineMs: { env: 'NEUTRINO_COMMAND_DEADLINE_MS', default: '10000', description: 'How long the gateway re-decides a command that keeps losing races on its aggregate (with backoff) before answering 409 Conflict.' },
  bulkDeadlineMs: { env: 'NEUTRINO_BULK_DEADLINE_MS', default: '600000', description: 'api-gateway: how long a bulk create may stay uncommitted before any gateway undoes it (a batch of a gateway that restarted is undone at once).' },
  policyNewDefaults: { env: 'NEUTRINO_POLICY_NEW_DEFAULTS', default: 'false', description: 'api-gateway: Neutron\'s reader/member/admin personas as Zed enforces them with oslo.policy\'s enforce_new_defaults = True: a caller with neither the member nor the admin role reads but does not write (403 PolicyNotAuthorized naming the action\'s rule), except what Zed leaves to the owner (subnets, tags). `false`: Zed\'s default, where any role of the project writes.' },
  allowAutomaticL3agentFailover: { env: 'NEUTRINO_ALLOW_AUTOMATIC_L3AGENT_FAILOVER', default: 'false', description: 'api-gateway (allow_automatic_l3agent_failover): every NEUTRINO_AGENT_DOWN_TIME_MS / 2 it moves each non-HA router whose l3-agent is dead to the least loaded alive, enabled one (its ports bound there). `false`, as in Neutron: the router stays until an admin moves it (`openstack network agent remove/add router`). HA routers fail over by keepalived either way.' },
  readFence: { env: 'NEUTRINO_READ_FENCE', default: 'false', description: 'api-gateway: before it handles a request, the gateway asks the stream for its last sequence and waits until its projection has applied that far, so a write answered by another gateway is seen here (`true` when several gateways serve one API; `neutrino start --gateways N` sets it). Reads arriving together share one question. `false`: one gateway, which answers a write only once its own projection holds it.' },
  bulkSettleIntervalMs: { env: 'NEUTRINO_BULK_SETTLE_INTERVAL_MS', default: '30000', description: 'api-gateway: how often it looks for bulk creates to undo (at start too; 0 = at start only).' },
  quotaNetwork: { env: 'NEUTRINO_QUOTA_NETWORK', default: '100', description: 'Default quota of networks per project (Neutron\'s quota_network; -1 = unlimited). An admin sets a project\'s own with PUT /v2.0/quotas/<project>.' },
  quotaSubnet: { env: 'NEUTRINO_QUOTA_SUBNET', default: '100', description: 'Default quota of subnets per project (-1 = unlimited).' },
  quotaPort: { env: 'NEUTRINO_QUOTA_PORT', default: '500', description: 'Default quota of ports per project (-1 = unlimited).' },
  quotaRouter: { env: 'NEUTRINO_QUOTA_ROUTER', default: '10', description: 'Default quota of routers per project (-1 = unlimited).' },
  quotaFloatingip: { env: 'NEUTRINO_QUOTA_FLOATINGIP', default: '50', description: 'Default quota of floating IPs per project (-1 = unlimited).' },
  quotaSecurityGroup: { env: 'NEUTRINO_QUOTA_SECURITY_GROUP', default: '10', description: 'Default quota of security groups per project (-1 = unlimited).' },
  quotaSecurityGroupRule: { env: 'NEUTRINO_QUOTA_SECURITY_GROUP_RULE', default: '100', description: 'Default quota of security group rules per project (-1 = unlimited; a new group\'s two egress rules count).' },
  quotaFirewall: { env: 'NEUTRINO_QUOTA_FIREWALL', default: '1', description: 'FWaaS v1: firewalls per project (/v2.0/fw/firewalls; the seed\'s default of 1, -1 = unlimited). Counted on the firewall aggregate itself, so parallel creates never end above it; not one of the /v2.0/quotas resources.' },
  quotaClaimTtlMs: { env: 'NEUTRINO_QUOTA_CLAIM_TTL_MS', default: '120000', description: 'api-gateway: how long a quota claim of a create whose resource never appeared (its gateway died, its append outcome stayed unknown) keeps counting against the project\'s quota.' },
  logLevel: { env: 'NEUTRINO_LOG_LEVEL', default: 'info', description: 'pino log level: fatal, error, warn, info, debug, trace.' },
  host: { env: 'NEUTRINO_HOST', default: '', description: 'Host name an agent registers under and binds ports for (binding:host_id). Empty: the machine\'s host name.' },
  hostNetns: { env: 'NEUTRINO_HOST_NETNS', default: '', description: 'When the host is itself a network namespace (the test bed), its name; agents then work inside it. Empty: this machine.' },
  physicalInterfaceMappings: { env: 'NEUTRINO_PHYSICAL_INTERFACE_MAPPINGS', default: '', description: 'l2-agent: `physnet:interface[,…]` (LinuxBridge physical_interface_mappings) for flat networks.' },
  bridgeMappings: { env: 'NEUTRINO_BRIDGE_MAPPINGS', default: '', description: 'l2-agent (openvswitch): `physnet:bridge[,…]` (bridge_mappings): the operator\'s provider bridge of each physical network, for flat and VLAN networks. The agent puts its `phy-<bridge>` patch port and flows on it and never creates, changes or removes the bridge itself. The test bed sets `physnet1:br-eth2` on its openvswitch hosts.' },
  localIp: { env: 'NEUTRINO_LOCAL_IP', default: '', description: 'l2-agent: this host\'s VXLAN tunnel endpoint address (local_ip). Empty: no VXLAN.' },
  tunnelInterface: { env: 'NEUTRINO_TUNNEL_INTERFACE', default: 'eth1', description: 'l2-agent: the interface that holds NEUTRINO_LOCAL_IP.' },
  vxlanPort: { env: 'NEUTRINO_VXLAN_PORT', default: '8472', description: 'l2-agent: UDP port of the VXLAN devices (Linux default 8472).' },
  l2Mechanism: { env: 'NEUTRINO_L2_MECHANISM', default: 'linuxbridge', description: 'l2-agent: how it wires its host, `linuxbridge` (a Linux bridge per network) or `openvswitch` (br-int/br-tun with the hybrid plug, spec/l2.md §5; registers as `Open vSwitch agent`). The test bed sets it per host: `neutrino testbed up --mechanism openvswitch`, and `neutrino start` with this set to `openvswitch`, put the compute hosts on Open vSwitch (`neutrino start` keeps network nodes on LinuxBridge; `neutrino testbed up --network-mechanism openvswitch` puts them on Open vSwitch too).' },
  ovsRunDir: { env: 'NEUTRINO_OVS_RUN_DIR', default: '/var/run/openvswitch', description: 'l2-agent (openvswitch): the run directory of the host\'s Open vSwitch, holding ovsdb-server\'s `db.sock` and ovs-vswitchd\'s `<bridge>.mgmt` sockets (the test bed gives each host its own).' },
  ovsArpResponder: { env: 'NEUTRINO_OVS_ARP_RESPONDER', default: 'true', description: 'Open vSwitch (arp_responder): br-tun answers ARP requests for the IPv4 addresses of the remote ports of each tunnel network itself (table 21, from the l2population entries), so they are not flooded to every tunnel; `false` floods them.' },
  ovsDatapathType: { env: 'NEUTRINO_OVS_DATAPATH_TYPE', default: 'netdev', description: 'Open vSwitch: datapath_type of the bridges the agent creates (br-int, br-tun). `netdev` is OVS\'s userspace datapath, which needs no openvswitch kernel module (slower); `system` uses the kernel module.' },
  dataplaneDriver: { env: 'NEUTRINO_DATAPLANE_DRIVER', default: '', description: 'Agents: `linux` (the real kernel) or `memory` (a model, no root needed). Empty: linux as root, memory otherwise.' },
  agentDownTimeMs: { env: 'NEUTRINO_AGENT_DOWN_TIME_MS', default: '75000', description: 'An agent whose last heartbeat is older than this is shown `alive: false` (Neutron agent_down_time); also the heartbeats\' TTL.' },
  testbed: { env: 'NEUTRINO_TESTBED', default: 'auto', description: '`neutrino start` as root brings up the namespace test bed (network1, compute1, compute2) with its agents (`auto`); `off` never.' },
  agentReportIntervalMs: { env: 'NEUTRINO_AGENT_REPORT_INTERVAL_MS', default: '10000', description: 'Agents: how often they renew their heartbeat (Neutron report_interval).' },
  agentResyncIntervalMs: { env: 'NEUTRINO_AGENT_RESYNC_INTERVAL_MS', default: '30000', description: 'Agents: how often they observe the whole host and repair drift made by others (0 = never).' },
  deletionSettleIntervalMs: { env: 'NEUTRINO_DELETION_SETTLE_INTERVAL_MS', default: '30000', description: 'api-gateway: how often it settles what a crash in the middle of a network or subnet deletion left (a deletion mark no deletion works on, a subnet removal not recorded, a port on a network or subnet gone, a subnet pool block held for a subnet that does not exist); something is settled once two sweeps in a row saw it unchanged (0 = never).' },
  ipamReapIntervalMs: { env: 'NEUTRINO_IPAM_REAP_INTERVAL_MS', default: '30000', description: 'ipam: how often it looks for allocations whose port (or network) does not exist (0 = never).' },
  ipamOrphanGraceMs: { env: 'NEUTRINO_IPAM_ORPHAN_GRACE_MS', default: '60000', description: 'ipam: how old such an allocation must be before it is given back (a command in flight is younger).' },
  snapshotIntervalMs: { env: 'NEUTRINO_SNAPSHOT_INTERVAL_MS', default: '30000', description: 'ipam and the api-gateway: how often they save a snapshot of their state (with its stream sequence) to the `neutrino-snapshots` object store, so a start replays only the log after it (0 = never).' },
  logCompactIntervalMs: { env: 'NEUTRINO_LOG_COMPACT_INTERVAL_MS', default: '300000', description: 'ipam: how often it applies the log\'s retention rule — archive the events every snapshot covers to the `neutrino-archive` object store, then trim them from the stream but each subject\'s last message (0 = never; `neutrino log compact` does it once).' },
  logKeepEvents: { env: 'NEUTRINO_LOG_KEEP_EVENTS', default: '10000', description: 'Retention: events kept in the stream behind its head even when every snapshot covers them.' },
  logRequiredSnapshots: { env: 'NEUTRINO_LOG_REQUIRED_SNAPSHOTS', default: 'ipam.ledgers,ipam.ports,ipam.networks,projection.api-gateway', description: 'Retention: nothing is trimmed until these snapshots exist (the oldest snapshot of all bounds what is trimmed).' },
  logFinalEvents: { env: 'NEUTRINO_LOG_FINAL_EVENTS', default: 'port.deleted,network.deleted,subnet.deleted,router.deleted,floatingip.deleted,bulk.committed,bulk.cleared', description: 'Retention: event types after which nothing is appended to their subject again; such a subject, once older than every snapshot, leaves the stream whole (archived). Not security_group.deleted: a default group may be made again on its subject.' },
  metricsPort: { env: 'NEUTRINO_METRICS_PORT', default: '0', description: 'Every agent: the port of its GET /metrics (Prometheus: reconciles, their duration, changes applied, errors, applied and reconciled sequence, lag behind the stream) and GET /healthz (200 once caught up with the log, reconciled and connected to NATS, else 503, with the details as JSON) on NEUTRINO_METRICS_HOST. 0 = off. Each agent of a host needs its own: set it in /etc/neutrino/<agent>.env.' },
  metricsHost: { env: 'NEUTRINO_METRICS_HOST', default: '127.0.0.1', description: 'Every agent: the address of its NEUTRINO_METRICS_PORT listener.' },
  ipamMetricsPort: { env: 'NEUTRINO_IPAM_METRICS_PORT', default: '0', description: 'Port for ipam\'s Prometheus /metrics (0 = off).' },
  apiUrl: { env: 'NEUTRINO_API_URL', default: '', description: 'Agents: base URL of the Neutron API they call (the dhcp-agent creates its DHCP ports there). Empty: http://NEUTRINO_API_HOST:NEUTRINO_API_PORT.' },
  netnsPrefix: { env: 'NEUTRINO_NETNS_PREFIX', default: '', description: 'Agents: prefix of the namespaces they create (`<prefix>qdhcp-<network>`), so that several hosts of a test bed share one machine. Empty on a real host.' },
  dhcpLeaseDuration: { env: 'NEUTRINO_DHCP_LEASE_DURATION', default: '86400', description: 'dhcp-agent: DHCP lease time in seconds (dhcp_lease_duration); -1 = infinite.' },
  dhcpDomain: { env: 'NEUTRINO_DHCP_DOMAIN', default: 'openstacklocal', description: 'dhcp-agent: DNS domain of the instances\' host names (dhcp_domain); empty: bare `host-<ip>` names.' },
  enableIsolatedMetadata: { env: 'NEUTRINO_ENABLE_ISOLATED_METADATA', default: 'true', description: 'dhcp-agent: on subnets no router serves, hand out the 169.254.169.254/32 route via the DHCP port and put 169.254.169.254/16 on the namespace interface (enable_isolated_metadata).' },
  dnsmasqBin: { env: 'NEUTRINO_DNSMASQ_BIN', default: 'dnsmasq', description: 'dhcp-agent: the dnsmasq program (a name looked up in PATH, or a path).' },
  enableMetadataProxy: { env: 'NEUTRINO_ENABLE_METADATA_PROXY', default: 'true', description: 'l3-agent: redirect 169.254.169.254:80 from tenant networks to port 9697 in each router namespace (where the metadata proxy listens) and let only redirected requests reach that port (enable_metadata_proxy).' },
  keepalivedBin: { env: 'NEUTRINO_KEEPALIVED_BIN', default: 'keepalived', description: 'l3-agent: the keepalived program run in the namespace of each HA router (a name looked up in PATH, or a path).' },
  strongswanStarterBin: { env: 'NEUTRINO_STRONGSWAN_STARTER_BIN', default: '/usr/lib/ipsec/starter', description: "l3-agent: strongSwan's starter (Debian's strongswan-starter), run with --nofork in the namespace of each router with VPN services; it runs that router's charon." },
  strongswanIpsec: { env: 'NEUTRINO_STRONGSWAN_IPSEC', default: 'kernel', description: "l3-agent: where each router's charon keeps its IPsec SAs and policies: `kernel` (the kernel's XFRM, ESP in the kernel: needs CONFIG_INET_ESP) or `libipsec` (strongSwan's userspace ESP, UDP-encapsulated, through an `ipsec0` TUN device in the router namespace and routes in table 220; Debian's libcharon-extra-plugins) for kernels without ESP." },
  swanctlBin: { env: 'NEUTRINO_SWANCTL_BIN', default: '/usr/sbin/swanctl', description: "l3-agent: strongSwan's swanctl (Debian's strongswan-swanctl), through which it reads each router's tunnels (`--list-sas`) and brings up its connections (`--initiate`), over that router's own vici socket." },
  vpnStatusPollMs: { env: 'NEUTRINO_VPN_STATUS_POLL_MS', default: '2000', description: 'l3-agent: how often it reads the tunnels of each router\'s strongSwan to report VPN service and site connection status (also right after each apply; 0 = only after applies).' },
  haStatePollMs: { env: 'NEUTRINO_HA_STATE_POLL_MS', default: '1000', description: 'l3-agent: how often it looks at which of its HA routers hold their VRRP virtual address, to report active/standby.' },
  lbaasHaproxyBin: { env: 'NEUTRINO_LBAAS_HAPROXY_BIN', default: 'haproxy', description: 'lbaas-agent: the HAProxy program run in the namespace of each load balancer (a name looked up in PATH, or a path); it checks each config with `-c` before applying it.' },
  lbaasHealthPollMs: { env: 'NEUTRINO_LBAAS_HEALTH_POLL_MS', default: '2000', description: 'lbaas-agent: how often it reads each HAProxy\'s stats socket (`show stat`) to report member health and to update the `neutrino_lbaas_stats` bucket (0 = never).' },
  lbaasUserGroup: { env: 'NEUTRINO_LBAAS_USER_GROUP', default: 'nogroup', description: 'lbaas-agent: the group HAProxy\'s workers run as (`group` in `global`; user_group). Debian\'s is nogroup, Red Hat\'s nobody.' },
  metadataHost: { env: 'NEUTRINO_METADATA_HOST', default: '127.0.0.1', description: 'metadata-service: address the Nova-compatible metadata API listens on.' },
  metadataPort: { env: 'NEUTRINO_METADATA_PORT', default: '8775', description: 'metadata-service: its port (Nova\'s metadata API port).' },
  metadataUrl: { env: 'NEUTRINO_METADATA_URL', default: '', description: 'metadata agent: the metadata API it forwards instances\' requests to (nova_metadata_host/port), e.g. a real Nova at http://controller:8775. Empty: http://NEUTRINO_METADATA_HOST:NEUTRINO_METADATA_PORT (the embedded metadata-service).' },
  metadataProxySharedSecret: { env: 'NEUTRINO_METADATA_PROXY_SHARED_SECRET', default: '', description: 'Shared secret of the metadata agent and the metadata API (metadata_proxy_shared_secret): X-Instance-ID-Signature is its HMAC-SHA256 of the instance id. Empty: a random secret kept in NEUTRINO_DATA_DIR/metadata/shared_secret (one machine only); set it on every host otherwise.' },
  metadataProxySocket: { env: 'NEUTRINO_METADATA_PROXY_SOCKET', default: '', description: 'The metadata agent\'s unix socket that the namespace proxies forward to. Empty: NEUTRINO_DATA_DIR/metadata/<NEUTRINO_HOST>/metadata_proxy.' },
} satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;

export function setting(name: SettingName, env: NodeJS.ProcessEnv = process.env): string {
  const spec = SETTINGS[name];
  const value = env[spec.env];
  return value === undefined || value === '' ? spec.default : value;
}

export const intSetting = (name: SettingName, env: NodeJS.ProcessEnv = process.env): number => {
  const raw = setting(name, env);
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`${SETTINGS[name].env} must be an integer, got "${raw}"`);
  return n;
};

export const dataDir = (env: NodeJS.ProcessEnv = process.env): string => path.resolve(setting('dataDir', env));

export const natsServers = (env: NodeJS.ProcessEnv = process.env): string[] => {
  const url = setting('natsUrl', env);
  return url ? url.split(',').map((s) => s.trim()).filter(Boolean) : [`nats://127.0.0.1:${intSetting('natsPort', env)}`];
};
