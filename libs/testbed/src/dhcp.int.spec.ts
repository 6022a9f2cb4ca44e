import { spawn, type ChildProcess } from 'node:child_process';
import { FakeNeutron } from '../test/fake-neutron';
import { TestbedFixture, testbedSkipReason } from './fixture';
import { addresses, links, routes } from './netns';
import { isAlive, killProcess, processRef, type ProcessRef } from './pids';
import { which } from './run';

const skip = testbedSkipReason() ?? (which('dnsmasq') ? null : 'dnsmasq (dnsmasq-base) is missing') ?? (which('udhcpc') ? null : 'udhcpc is missing');
if (skip) console.warn(`libs/testbed DHCP test skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;
jest.setTimeout(60_000);

/**
 * The DHCP-client plumbing the dhcp-agent will rely on: a dnsmasq started by
 * the test in compute1 on a bridge holding the instance's tap (what the
 * l2-agent and dhcp-agent will build) hands out the port's address.
 */
describeRoot('an instance gets its address from a real dnsmasq', () => {
  let api: FakeNeutron;
  let bed: TestbedFixture;
  let dnsmasq: ChildProcess | null = null;
  let dnsmasqRef: ProcessRef | null = null;
  const log: string[] = [];

  beforeAll(async () => {
    api = await FakeNeutron.start({ mtu: 1450, cidr: '10.99.0.0/24', firstHost: 23 });
    bed = await TestbedFixture.create({ apiUrl: api.url, hosts: [{ name: 'compute1' }] });
  });

  afterAll(async () => {
    if (dnsmasqRef) await killProcess(dnsmasqRef);
    await bed?.dispose().catch(() => undefined);
    await api?.stop();
  });

  it('leases the port fixed IP with router, MTU and classless static routes, then the DHCP client is killed by down()', async () => {
    const host = bed.host('compute1');
    await bed.execHost('compute1', ['ip', 'link', 'add', 'brqtest', 'type', 'bridge', 'stp_state', '0']);
    await bed.execHost('compute1', ['ip', 'addr', 'add', '10.99.0.2/24', 'dev', 'brqtest']);
    await bed.execHost('compute1', ['ip', 'link', 'set', 'brqtest', 'up']);

    dnsmasq = spawn(which('ip')!, [
      'netns', 'exec', host.netns, which('dnsmasq')!,
      '--keep-in-foreground', '--log-facility=-', '--log-dhcp', '--conf-file=/dev/null', '--no-hosts', '--no-resolv', '--port=0',
      '--bind-interfaces', '--interface=brqtest', '--except-interface=lo', '--leasefile-ro',
      '--dhcp-range=set:t0,10.99.0.0,static,255.255.255.0,600s',
      `--dhcp-host=${api.peekNext().mac},10.99.0.23`,
      '--dhcp-option=tag:t0,option:router,10.99.0.1',
      '--dhcp-option=tag:t0,option:classless-static-route,169.254.169.254/32,10.99.0.2,0.0.0.0/0,10.99.0.1',
      '--dhcp-option-force=tag:t0,option:mtu,1400',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    dnsmasq.stdout?.on('data', (d) => log.push(String(d)));
    dnsmasq.stderr?.on('data', (d) => log.push(String(d)));
    await new Promise((r) => dnsmasq!.once('spawn', r));
    dnsmasqRef = processRef(dnsmasq.pid!, 'dnsmasq');

    // Boot, then wire the tap into the bridge as the l2-agent will: the client's next DISCOVER gets through.
    const t0 = Date.now();
    const vm = await bed.boot('vm1', { networkId: api.network.id, host: 'compute1' });
    expect(vm.fixedIps).toEqual([{ subnet_id: api.subnet.id, ip_address: '10.99.0.23' }]);
    await bed.execHost('compute1', ['ip', 'link', 'set', vm.tap!, 'master', 'brqtest']);

    const lease = await bed.waitForLease('vm1', 20_000).catch((err) => {
      throw new Error(`${err.message}\ndnsmasq: ${log.join('')}`);
    });
    console.log(`DHCP lease ${Date.now() - t0} ms after boot (tap wired right after boot)`);
    expect(lease).toMatchObject({ ip: '10.99.0.23', mask: 24, mtu: 1400, serverId: '10.99.0.2' });

    expect((await addresses(vm.netns, 'eth0')).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`)).toEqual(['10.99.0.23/24']);
    expect((await links(vm.netns)).find((l) => l.ifname === 'eth0')?.mtu).toBe(1400);
    const table = await routes(vm.netns);
    expect(table).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ dst: 'default', gateway: '10.99.0.1', dev: 'eth0' }),
        expect.objectContaining({ dst: '169.254.169.254', gateway: '10.99.0.2', dev: 'eth0' }),
      ]),
    );
    expect((await bed.exec('vm1', ['ping', '-c', '1', '-W', '2', '10.99.0.2'])).code).toBe(0);

    const client = bed.instance('vm1').dhcpClient!;
    expect(isAlive(client)).toBe(true);
    await killProcess(dnsmasqRef!);
    dnsmasqRef = null;
    await bed.down();
    expect(isAlive(client)).toBe(false);
  });
});
