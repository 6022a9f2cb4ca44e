import * as os from 'node:os';
import { execFileSync } from 'node:child_process';
import { TestbedFixture, suiteAgents, testbedSkipReason, type HostInfo, type RunRecord } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';
import { openBenchRun, recordSuite } from './bench-run';
import { Samples, fmt, waitFor } from './stats';

/**
 * VPN benchmark (not a test; needs root), on the test bed through the VPNaaS API: two routers on
 * network1 with their gateways on the external network and a VPN service each; per sample the far
 * side's connection is made first (it stays DOWN: nobody answers yet), then the timed one:
 * IPsec site connection create → ACTIVE in the API (the l3-agent renders ipsec.conf and secrets,
 * SIGHUPs starter, re-reads the secrets, initiates; IKE main mode and quick mode; the status read
 * back and reported through the domain). Both are deleted before the next sample.
 * BENCH_VPN_SAMPLES (default 10); NEUTRINO_STRONGSWAN_IPSEC as the agents' (default: libipsec
 * when the kernel has no ESP).
 */
const SAMPLES = Number(process.env.BENCH_VPN_SAMPLES ?? 10);
let run: RunRecord;

function kernelEsp(): boolean {
  try {
    return /^CONFIG_INET_ESP=[ym]/m.test(execFileSync('zcat', ['/proc/config.gz'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  } catch {
    return true;
  }
}

async function main(): Promise<void> {
  const skip = testbedSkipReason();
  if (skip) throw new Error(`the VPN benchmark needs the test bed: ${skip}`);
  const backend = process.env.NEUTRINO_STRONGSWAN_IPSEC ?? (kernelEsp() ? 'kernel' : 'libipsec');
  console.log(`Neutrino VPN benchmark — ${os.cpus().length} cores (${os.cpus()[0]?.model}), Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, IPsec in ${backend}`);
  run = await openBenchRun('bench:vpn');
  const fx = await SuiteFixture.start();
  recordSuite(run, fx);
  let bed: TestbedFixture | undefined;
  try {
    bed = await TestbedFixture.create({
      apiUrl: fx.suite.apiUrl,
      agents: suiteAgents(fx.nats.url, fx.dataDir, (h: HostInfo) => (h.network ? ['l2-agent', 'l3-agent'] : ['l2-agent']), { NEUTRINO_STRONGSWAN_IPSEC: backend }),
    });
    const ok = async (m: string, u: string, b?: unknown) => {
      const r = await fx.api(m, u, b);
      if (r.status >= 300) throw new Error(`${m} ${u}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await waitFor(async () => (await ok('GET', '/v2.0/agents?agent_type=L3%20agent')).agents?.some((a: { alive: boolean }) => a.alive), 30_000, 20);
    const ext = (await ok('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } })).network;
    await ok('POST', '/v2.0/subnets', { subnet: { network_id: ext.id, ip_version: 4, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', enable_dhcp: false, allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.200' }] } });
    const ike = (await ok('POST', '/v2.0/vpn/ikepolicies', { ikepolicy: { name: 'ike' } })).ikepolicy.id;
    const ipsec = (await ok('POST', '/v2.0/vpn/ipsecpolicies', { ipsecpolicy: { name: 'ipsec' } })).ipsecpolicy.id;
    const sites: Array<{ service: string; gw: string; cidr: string }> = [];
    for (const [name, cidr] of [['east', '10.71.0.0/24'], ['west', '10.72.0.0/24']]) {
      const net = (await ok('POST', '/v2.0/networks', { network: { name } })).network;
      const subnet = (await ok('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr, enable_dhcp: false } })).subnet;
      const router = (await ok('POST', '/v2.0/routers', { router: { name, external_gateway_info: { network_id: ext.id } } })).router;
      await ok('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id });
      const service = (await ok('POST', '/v2.0/vpn/vpnservices', { vpnservice: { name, router_id: router.id, subnet_id: subnet.id } })).vpnservice.id;
      sites.push({ service, gw: router.external_gateway_info.external_fixed_ips[0].ip_address, cidr });
    }
    const [east, west] = sites;
    const status = async (id: string) => (await ok('GET', `/v2.0/vpn/ipsec-site-connections/${id}`)).ipsec_site_connection.status as string;
    await waitFor(async () => (await ok('GET', `/v2.0/vpn/vpnservices/${east.service}`)).vpnservice.status === 'ACTIVE', 30_000, 20);
    const connect = async (from: typeof east, to: typeof east, psk: string) =>
      (await ok('POST', '/v2.0/vpn/ipsec-site-connections', {
        ipsec_site_connection: { vpnservice_id: from.service, ikepolicy_id: ike, ipsecpolicy_id: ipsec, peer_address: to.gw, peer_id: to.gw, peer_cidrs: [to.cidr], psk },
      })).ipsec_site_connection.id as string;

    const created = new Samples();
    for (let i = 0; i < SAMPLES; i++) {
      const psk = `bench-${i}`;
      const far = await connect(west, east, psk);
      const t0 = performance.now();
      const near = await connect(east, west, psk);
      await waitFor(async () => (await status(near)) === 'ACTIVE', 60_000, 20);
      created.add(performance.now() - t0);
      if (process.env.BENCH_VPN_VERBOSE) console.log(`sample ${i}: ${fmt(performance.now() - t0)} ms (near ${near}, far ${far})`);
      await waitFor(async () => (await status(far)) === 'ACTIVE', 60_000, 20);
      await ok('DELETE', `/v2.0/vpn/ipsec-site-connections/${near}`);
      await ok('DELETE', `/v2.0/vpn/ipsec-site-connections/${far}`);
    }
    console.log('\n| figure | p50 | p99 |\n|---|---:|---:|');
    console.log(`| IPsec site connection create → ACTIVE (${SAMPLES}, the peer's mirror made just before) | ${fmt(created.percentile(50))} ms | ${fmt(created.percentile(99))} ms |`);
    console.log(`(load after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  } finally {
    const keep = process.env.BENCH_VPN_VERBOSE;
    if (keep) execFileSync('sh', ['-c', `mkdir -p ${keep} && cp -r ${fx.dataDir}/l3 ${keep}/ && cp ${bed?.dir.dir}/logs/network1.l3-agent.log ${keep}/`]);
    await bed?.dispose();
    await fx.stop();
    await run.close();
  }
}


main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
