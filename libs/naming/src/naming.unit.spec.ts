import {
  L2_CHAIN_PREFIX, L3_CHAIN_PREFIX, L3_PORT_OWNERS, ROUTER_INTERFACE_OWNERS, ROUTER_INTERFACE_OWNERS_SNAT, ROUTER_PORT_OWNERS,
  bridgeName, dhcpNetns, haName, isRouterInterfaceOwner, isTrustedOwner, nsDeviceName, portChainName, qgName, qrName, routerNetns,
  tapName, vxlanName, qbrName, qvbName, qvoName, intBridgePatchName, phyBridgePatchName, tunnelPortName,
} from './index';

const PORT = '3c1e2a6b-9d41-4e0a-8f3b-2a7d5c9e1f00';
const NET = 'a5f0e6d1-77b2-4c3e-9a8f-0b1c2d3e4f50';

describe('device and namespace names (spec/l2.md §8, l3.md §2.1)', () => {
  it('cuts the id to 11 characters behind the prefix', () => {
    expect([tapName(PORT), bridgeName(NET), nsDeviceName(PORT), qrName(PORT), qgName(PORT), haName(PORT)]).toEqual([
      'tap3c1e2a6b-9d', 'brqa5f0e6d1-77', 'ns-3c1e2a6b-9d', 'qr-3c1e2a6b-9d', 'qg-3c1e2a6b-9d', 'ha-3c1e2a6b-9d',
    ]);
  });
  it('every link name fits IFNAMSIZ (15 with the NUL)', () => {
    for (const n of [tapName(PORT), bridgeName(NET), nsDeviceName(PORT), qrName(PORT), qgName(PORT), haName(PORT), vxlanName(16777215)])
      expect(n.length).toBeLessThanOrEqual(15);
  });
  it('namespaces carry the whole id behind the host prefix', () => {
    expect([dhcpNetns(NET), dhcpNetns(NET, 'nt1-c1-'), routerNetns(NET)]).toEqual([`qdhcp-${NET}`, `nt1-c1-qdhcp-${NET}`, `qrouter-${NET}`]);
  });
});

describe('Open vSwitch device names (spec/l2.md §5.2, §8)', () => {
  it('the hybrid firewall\'s devices cut the port id like tap', () => {
    expect([qbrName(PORT), qvbName(PORT), qvoName(PORT)]).toEqual(['qbr3c1e2a6b-9d', 'qvb3c1e2a6b-9d', 'qvo3c1e2a6b-9d']);
  });
  it('provider bridge patch pair and tunnel ports', () => {
    expect([intBridgePatchName('br-eth2'), phyBridgePatchName('br-eth2')]).toEqual(['int-br-eth2', 'phy-br-eth2']);
    expect(tunnelPortName('vxlan', '10.254.254.200')).toBe('vxlan-0afefec8');
    expect(tunnelPortName('gre', '10.254.254.202')).toBe('gre-0afefeca');
    expect(() => tunnelPortName('vxlan', '10.254.254')).toThrow(/IPv4/);
  });
});

describe('chain names (iptables_manager wrap names)', () => {
  it('the agents\' prefixes are their binaries cut to 16', () => expect([L2_CHAIN_PREFIX, L3_CHAIN_PREFIX]).toEqual(['neutron-linuxbri-', 'neutron-l3-agent-']));
  it('a port chain is the prefix, i/o/s and 10 characters of the id: 28, iptables\' limit', () => {
    expect(portChainName('i', PORT)).toBe('neutron-linuxbri-i3c1e2a6b-9');
    expect(portChainName('o', PORT).length).toBe(28);
  });
});

describe('device_owner families', () => {
  it('nest as in neutron_lib', () => {
    expect(ROUTER_INTERFACE_OWNERS).toEqual(['network:router_interface', 'network:ha_router_replicated_interface', 'network:router_interface_distributed']);
    expect(ROUTER_INTERFACE_OWNERS_SNAT).toEqual([...ROUTER_INTERFACE_OWNERS, 'network:router_centralized_snat']);
    expect(ROUTER_PORT_OWNERS).toEqual([...ROUTER_INTERFACE_OWNERS_SNAT, 'network:router_gateway']);
    expect(L3_PORT_OWNERS).toContain('network:floatingip');
  });
  it('network:* owners are trusted, compute and empty owners are not', () => {
    expect(['network:dhcp', 'network:router_gateway', 'compute:nova', '', 'networkx'].map(isTrustedOwner)).toEqual([true, true, false, false, false]);
  });
  it('only interfaces are router interfaces', () =>
    expect(['network:router_interface', 'network:router_gateway'].map(isRouterInterfaceOwner)).toEqual([true, false]));
});
