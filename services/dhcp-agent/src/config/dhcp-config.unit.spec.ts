import { dhcpConfigFromEnv } from './dhcp-config';

describe('dhcpConfigFromEnv', () => {
  it('defaults: Neutron lease and domain, isolated metadata on, the API at NEUTRINO_API_HOST:PORT', () => {
    const c = dhcpConfigFromEnv({ NEUTRINO_HOST: 'network1', NEUTRINO_API_PORT: '9797', NEUTRINO_DATAPLANE_DRIVER: 'memory' });
    expect(c).toEqual({
      host: 'network1', hostNetns: '', netnsPrefix: '', apiUrl: 'http://127.0.0.1:9797', leaseSeconds: 86400, domain: 'openstacklocal',
      enableIsolatedMetadata: true, dnsmasqBin: 'dnsmasq', driver: 'memory',
    });
  });

  it('reads every setting; an explicitly empty domain means bare host names', () => {
    const c = dhcpConfigFromEnv({
      NEUTRINO_API_URL: 'http://10.0.0.5:9696/', NEUTRINO_DHCP_LEASE_DURATION: '-1', NEUTRINO_DHCP_DOMAIN: '', NEUTRINO_ENABLE_ISOLATED_METADATA: 'false',
      NEUTRINO_DNSMASQ_BIN: '/opt/dnsmasq', NEUTRINO_NETNS_PREFIX: 'nt1-network1-', NEUTRINO_DATAPLANE_DRIVER: 'linux',
    });
    expect(c).toMatchObject({ apiUrl: 'http://10.0.0.5:9696', leaseSeconds: -1, domain: '', enableIsolatedMetadata: false, dnsmasqBin: '/opt/dnsmasq', netnsPrefix: 'nt1-network1-', driver: 'linux' });
    expect(() => dhcpConfigFromEnv({ NEUTRINO_DATAPLANE_DRIVER: 'ovs' })).toThrow(/linux or memory/);
  });
});
