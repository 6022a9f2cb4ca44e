import { SuiteFixture, openstack, openstackCli } from '@neutrino/testing-suite';

const openstackPath = openstackCli('the CLI end-to-end test');
const describeWithCli = openstackPath ? describe : describe.skip;

/** Done-when 5: the real openstack client manages networks, subnets and ports. */
describeWithCli('the openstack command-line client', () => {
  let fx: SuiteFixture;
  beforeAll(async () => {
    fx = await SuiteFixture.start();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  const os = async (...args: string[]) => {
    return openstack(fx.suite.apiUrl, ...args);
  };
  const json = async (...args: string[]) => JSON.parse(await os(...args, '-f', 'json'));

  it('creates, lists, shows, updates and deletes networks, subnets and ports', async () => {
    const net = await json('network', 'create', 'web');
    expect(net).toMatchObject({ name: 'web', admin_state_up: true, status: 'ACTIVE', mtu: 1450 });
    const subnet = await json('subnet', 'create', '--network', 'web', '--subnet-range', '10.10.0.0/24', '--dns-nameserver', '8.8.8.8', 'web-v4');
    expect(subnet).toMatchObject({ cidr: '10.10.0.0/24', gateway_ip: '10.10.0.1', enable_dhcp: true, ip_version: 4 });
    expect(JSON.stringify(subnet.allocation_pools)).toContain('10.10.0.2');
    const port = await json('port', 'create', '--network', 'web', '--fixed-ip', 'subnet=web-v4,ip-address=10.10.0.10', 'vm1-eth0');
    expect(JSON.stringify(port.fixed_ips)).toContain('10.10.0.10');
    expect(port.mac_address).toMatch(/^fa:16:3e:/);
    const auto = await json('port', 'create', '--network', 'web', 'vm2-eth0');
    expect(JSON.stringify(auto.fixed_ips)).toContain('10.10.0.2');

    const ports = await json('port', 'list', '--network', 'web');
    expect(ports.map((p: { Name: string }) => p.Name).sort()).toEqual(['vm1-eth0', 'vm2-eth0']);
    expect((await json('network', 'list')).map((n: { Name: string }) => n.Name)).toEqual(['web']);
    expect((await json('subnet', 'list')).map((s: { Subnet: string }) => s.Subnet)).toEqual(['10.10.0.0/24']);

    await os('network', 'set', '--name', 'web-prod', 'web');
    expect(await json('network', 'show', 'web-prod')).toMatchObject({ id: net.id, name: 'web-prod' });
    await os('subnet', 'set', '--no-dns-nameservers', '--dns-nameserver', '1.1.1.1', 'web-v4');
    expect((await json('subnet', 'show', 'web-v4')).dns_nameservers).toEqual(['1.1.1.1']);
    await os('port', 'set', '--name', 'vm1-nic', '--device-owner', 'compute:nova', 'vm1-eth0');
    expect(await json('port', 'show', 'vm1-nic')).toMatchObject({ name: 'vm1-nic', device_owner: 'compute:nova' });

    await expect(os('network', 'delete', 'web-prod')).rejects.toThrow(/in use|ports/i);
    await os('port', 'delete', 'vm1-nic', 'vm2-eth0');
    await os('subnet', 'delete', 'web-v4');
    await os('network', 'delete', 'web-prod');
    expect(await json('network', 'list')).toEqual([]);
  });
});
