import * as fs from 'node:fs';
import * as os from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { TestbedFixture, suiteAgents, testbedSkipReason, type HostInfo, type RunRecord } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';
import { openBenchRun, recordSuite } from './bench-run';
import { Samples, fmt, waitFor } from './stats';
import { SCALE_QUOTAS } from './scale-quotas';

/**
 * Firewall benchmark (not a test; needs root), on the test bed through the FWaaS v2 API, the
 * fwaas-agent beside the l3-agent on network1:
 * 1. rule change → enforced: a `reject` rule for TCP 80 placed before the allow is enabled and
 *    disabled BENCH_FW_SAMPLES times (default 20); a prober in the internet namespace connects to
 *    the floating IP every millisecond and notes when the answer flips. Also: change → the group
 *    ACTIVE in the API (the agent reports after its apply).
 * 2. a 1,000-rule policy (BENCH_FW_RULES) on 10 routers (BENCH_FW_ROUTERS): the policy's rule list
 *    set in one update → the group ACTIVE again, and the fwaas-agent's own reconcile time (its log).
 */
const SAMPLES = Number(process.env.BENCH_FW_SAMPLES ?? 20);
const RULES = Number(process.env.BENCH_FW_RULES ?? 1000);
const ROUTERS = Number(process.env.BENCH_FW_ROUTERS ?? 10);
let run: RunRecord;

async function main(): Promise<void> {
  const skip = testbedSkipReason();
  if (skip) throw new Error(`the firewall benchmark needs the test bed: ${skip}`);
  console.log(`Neutrino firewall benchmark — ${os.cpus().length} cores (${os.cpus()[0]?.model}), Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  run = await openBenchRun('bench:fwaas');
  const fx = await SuiteFixture.start({ env: { ...SCALE_QUOTAS, NEUTRINO_QUOTA_ROUTER: '1000' } });
  recordSuite(run, fx);
  let bed: TestbedFixture | undefined;
  let prober: ChildProcess | undefined;
  try {
    bed = await TestbedFixture.create({
      apiUrl: fx.suite.apiUrl,
      agents: suiteAgents(fx.nats.url, fx.dataDir, (h: HostInfo) => (h.network ? ['l2-agent', 'l3-agent', 'fwaas-agent'] : ['l2-agent'])),
    });
    const ok = async (m: string, u: string, b?: unknown) => {
      const r = await fx.api(m, u, b);
      if (r.status >= 300) throw new Error(`${m} ${u}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await waitFor(async () => (await ok('GET', '/v2.0/agents?agent_type=L3%20agent')).agents?.some((a: { alive: boolean }) => a.alive), 30_000);
    const ext = (await ok('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } })).network;
    await ok('POST', '/v2.0/subnets', {
      subnet: { network_id: ext.id, ip_version: 4, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', enable_dhcp: false, allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.200' }] },
    });
    const net = (await ok('POST', '/v2.0/networks', { network: { name: 'tenant' } })).network;
    const subnet = (await ok('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.44.0.0/24', enable_dhcp: false } })).subnet;
    const router = (await ok('POST', '/v2.0/routers', { router: { name: 'r0', external_gateway_info: { network_id: ext.id } } })).router;
    const iface = (await ok('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id })).port_id as string;
    const sg = (await ok('GET', '/v2.0/security-groups?name=default')).security_groups[0].id;
    await ok('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 80, port_range_max: 80 } });
    const vm = await bed.boot('vm1', { networkId: net.id, host: 'compute1', dhcp: false });
    await bed.serveHttp('vm1', 80);
    const fip = (await ok('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.portId } })).floatingip.floating_ip_address as string;

    const rule = async (body: object) => (await ok('POST', '/v2.0/fwaas/firewall_rules', { firewall_rule: { protocol: 'tcp', destination_port: '80', ...body } })).firewall_rule.id as string;
    const allow = await rule({ action: 'allow' });
    const reject = await rule({ action: 'reject', enabled: false });
    const policy = (await ok('POST', '/v2.0/fwaas/firewall_policies', { firewall_policy: { name: 'bench', firewall_rules: [reject, allow] } })).firewall_policy.id;
    const group = (await ok('POST', '/v2.0/fwaas/firewall_groups', { firewall_group: { name: 'bench', ingress_firewall_policy_id: policy, egress_firewall_policy_id: policy, ports: [iface] } })).firewall_group.id;
    const active = () => waitFor(async () => (await ok('GET', `/v2.0/fwaas/firewall_groups/${group}`)).firewall_group.status === 'ACTIVE', 60_000);
    await active();

    // 1. rule change → enforced, seen from the internet
    const flips: Array<{ at: number; open: boolean }> = [];
    prober = probe(bed.plan.internet.netns, fip, 80, (f) => flips.push(f));
    await waitFor(async () => flips.length > 0 && flips[flips.length - 1].open, 60_000);
    const closed = new Samples();
    const opened = new Samples();
    const toActive = new Samples();
    for (let i = 0; i < SAMPLES; i++) {
      const want = i % 2 === 1; // enable the reject (closed), then disable it (open)
      const t0 = Date.now();
      await ok('PUT', `/v2.0/fwaas/firewall_rules/${reject}`, { firewall_rule: { enabled: i % 2 === 0 } });
      await active();
      toActive.add(Date.now() - t0);
      await waitFor(async () => flips.some((f) => f.at >= t0 && f.open === want), 10_000);
      (want ? opened : closed).add(flips.find((f) => f.at >= t0 && f.open === want)!.at - t0);
    }
    console.log('\n| figure | p50 | p99 |\n|---|---:|---:|');
    console.log(`| reject rule enabled → TCP 80 refused, seen from the internet (${closed.count}) | ${fmt(closed.percentile(50))} ms | ${fmt(closed.percentile(99))} ms |`);
    console.log(`| reject rule disabled → TCP 80 answered again (${opened.count}) | ${fmt(opened.percentile(50))} ms | ${fmt(opened.percentile(99))} ms |`);
    console.log(`| rule change → group ACTIVE in the API | ${fmt(toActive.percentile(50))} ms | ${fmt(toActive.percentile(99))} ms |`);
    prober.kill();
    prober = undefined;

    // 2. a 1,000-rule policy on 10 routers
    const ports: string[] = [];
    for (let i = 0; i < ROUTERS; i++) {
      const n = (await ok('POST', '/v2.0/networks', { network: { name: `fw-${i}` } })).network;
      const s = (await ok('POST', '/v2.0/subnets', { subnet: { network_id: n.id, ip_version: 4, cidr: `10.70.${i}.0/24`, enable_dhcp: false } })).subnet;
      const r = (await ok('POST', '/v2.0/routers', { router: { name: `fw-r${i}` } })).router;
      ports.push((await ok('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: s.id })).port_id);
    }
    const many: string[] = [];
    for (let i = 0; i < RULES; i++) many.push(await rule({ action: i % 3 === 0 ? 'deny' : 'allow', destination_port: String(1000 + i), source_ip_address: `198.51.100.${i % 250}` }));
    const big = (await ok('POST', '/v2.0/fwaas/firewall_policies', { firewall_policy: { name: 'big' } })).firewall_policy.id;
    const wide = (await ok('POST', '/v2.0/fwaas/firewall_groups', { firewall_group: { name: 'wide', ingress_firewall_policy_id: big, egress_firewall_policy_id: big, ports } })).firewall_group.id;
    const wideActive = () => waitFor(async () => (await ok('GET', `/v2.0/fwaas/firewall_groups/${wide}`)).firewall_group.status === 'ACTIVE', 120_000);
    await wideActive();
    const logFile = `${bed.dir.dir}/logs/network1.fwaas-agent.log`;
    const logAt = fs.statSync(logFile).size;
    const t0 = Date.now();
    await ok('PUT', `/v2.0/fwaas/firewall_policies/${big}`, { firewall_policy: { firewall_rules: many } });
    await wideActive();
    const took = Date.now() - t0;
    await new Promise((r) => setTimeout(r, 200));
    const reconciles = fs.readFileSync(logFile, 'utf8').slice(logAt).split('\n').filter((l) => l.includes('"changes":') && !l.includes('"changes":0'));
    const agentMs = reconciles.map((l) => JSON.parse(l).ms as number).reduce((a, b) => a + b, 0);
    console.log(`\n| ${RULES}-rule policy on ${ROUTERS} routers (${RULES * 2 * ROUTERS} iptables lines) | ms |\n|---|---:|`);
    console.log(`| policy update → group ACTIVE (API) | ${took} |`);
    console.log(`| the fwaas-agent's reconciles that applied it (${reconciles.length}, from its log) | ${agentMs} |`);
  } finally {
    prober?.kill();
    await bed?.dispose();
    await fx.stop();
    await run.close();
  }
}


/**
 * A python loop in `netns` connecting to ip:port (timeout 20 ms, pause 1 ms); prints the epoch ms
 * at which an attempt's outcome differs from the one before it, with the new outcome. The short
 * timeout bounds how late an opening is seen: the kernel rate-limits the ICMP errors REJECT
 * sends, so some refused attempts hang instead of failing at once.
 */
function probe(netns: string, ip: string, port: number, onFlip: (f: { at: number; open: boolean }) => void): ChildProcess {
  const code = `
import socket, time, sys
last = None
while True:
    t = time.time()
    s = socket.socket(); s.settimeout(0.02)
    try:
        s.connect(('${ip}', ${port})); ok = True
    except Exception:
        ok = False
    finally:
        s.close()
    if ok != last:
        print('%d %d' % (int(t * 1000), 1 if ok else 0), flush=True); last = ok
    time.sleep(0.001)
`;
  const child = spawn('ip', ['netns', 'exec', netns, 'python3', '-u', '-c', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  const recorded = run.process(child.pid, `prober in ${netns}`);
  child.once('exit', () => run.forgetProcess(recorded));
  let buf = '';
  child.stdout!.on('data', (d) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const [at, open] = buf.slice(0, i).split(' ').map(Number);
      buf = buf.slice(i + 1);
      onFlip({ at, open: open === 1 });
    }
  });
  return child;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
