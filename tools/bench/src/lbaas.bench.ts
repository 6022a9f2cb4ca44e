import * as os from 'node:os';
import { spawn } from 'node:child_process';
import { TestbedFixture, suiteAgents, testbedSkipReason, type HostInfo, type RunRecord } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';
import { openBenchRun, recordSuite } from './bench-run';
import { Samples, fmt, waitFor } from './stats';
import { SCALE_QUOTAS } from './scale-quotas';

/**
 * Load-balancing benchmark (not a test; needs root), on the test bed through the LBaaS v2 API:
 * 1. load balancer create → ACTIVE (p50/p99 over BENCH_LB_SAMPLES, default 20);
 * 2. member add → a client's requests through the VIP reach the new member;
 * 3. HAProxy reload with 100 members: a member update → the pool ACTIVE again (the agent's apply, HAProxy's reload);
 * 4. requests/s and p99 through the VIP against straight to one member, same client, same run (the ratio).
 */
const SAMPLES = Number(process.env.BENCH_LB_SAMPLES ?? 20);
const MEMBERS = Number(process.env.BENCH_LB_MEMBERS ?? 100);
const LOAD_SECONDS = Number(process.env.BENCH_LB_LOAD_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_LB_CONCURRENCY ?? 8);
let run: RunRecord;

type Api = (method: string, url: string, body?: unknown) => Promise<{ status: number; body: any }>;

async function main(): Promise<void> {
  const skip = testbedSkipReason();
  if (skip) throw new Error(`the load-balancing benchmark needs the test bed: ${skip}`);
  console.log(`Neutrino load-balancing benchmark — ${os.cpus().length} cores (${os.cpus()[0]?.model}), Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  run = await openBenchRun('bench:lbaas');
  const fx = await SuiteFixture.start({ env: SCALE_QUOTAS });
  recordSuite(run, fx);
  let bed: TestbedFixture | undefined;
  try {
    bed = await TestbedFixture.create({
      apiUrl: fx.suite.apiUrl,
      agents: suiteAgents(fx.nats.url, fx.dataDir, (h: HostInfo) => (h.network ? ['l2-agent', 'lbaas-agent'] : ['l2-agent']), { NEUTRINO_LBAAS_HEALTH_POLL_MS: '1000' }),
    });
    const api: Api = (m, u, b) => fx.api(m, u, b);
    const ok = async (m: string, u: string, b?: unknown) => {
      const r = await api(m, `/v2/lbaas${u}`, b);
      if (r.status >= 300) throw new Error(`${m} ${u}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await waitFor(async () => (await api('GET', '/v2.0/agents?agent_type=Loadbalancerv2%20agent')).body.agents?.some((a: { alive: boolean }) => a.alive), 30_000);
    const net = (await api('POST', '/v2.0/networks', { network: { name: 'bench-lb' } })).body.network;
    const subnet = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.60.0.0/22', enable_dhcp: false } })).body.subnet;
    const sg = (await api('GET', '/v2.0/security-groups?name=default')).body.security_groups[0].id;
    await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 80, port_range_max: 80 } });
    const ips: Record<string, string> = {};
    for (const [vm, host] of [['web1', 'compute1'], ['web2', 'compute2'], ['client', 'compute2']] as const) {
      const inst = await bed.boot(vm, { networkId: net.id, host, dhcp: false });
      ips[vm] = inst.fixedIps[0].ip_address;
      if (vm !== 'client') await bed.serveHttp(vm, 80);
    }
    const client = bed.instance('client').netns;
    const untilActive = (id: string) => waitFor(async () => (await ok('GET', `/loadbalancers/${id}`)).loadbalancer.provisioning_status === 'ACTIVE', 60_000);

    // 1. create → ACTIVE
    const created = new Samples();
    for (let i = 0; i < SAMPLES; i++) {
      const t0 = performance.now();
      const lb = (await ok('POST', '/loadbalancers', { loadbalancer: { name: `b${i}`, vip_subnet_id: subnet.id } })).loadbalancer;
      await untilActive(lb.id);
      created.add(performance.now() - t0);
      await api('DELETE', `/v2/lbaas/loadbalancers/${lb.id}`);
    }
    console.log('\n| figure | p50 | p99 |\n|---|---:|---:|');
    console.log(`| load balancer create → ACTIVE (${SAMPLES}) | ${fmt(created.percentile(50))} ms | ${fmt(created.percentile(99))} ms |`);

    // 2. member add → receives traffic
    const lb = (await ok('POST', '/loadbalancers', { loadbalancer: { name: 'bench', vip_subnet_id: subnet.id } })).loadbalancer;
    await untilActive(lb.id);
    const listener = (await ok('POST', '/listeners', { listener: { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: 80 } })).listener;
    await untilActive(lb.id);
    const pool = (await ok('POST', '/pools', { pool: { listener_id: listener.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } })).pool;
    await untilActive(lb.id);
    await ok('POST', `/pools/${pool.id}/members`, { member: { address: ips.web1, protocol_port: 80 } });
    await untilActive(lb.id);
    const url = `http://${lb.vip_address}/`;
    await waitFor(async () => (await load(client, url, 1, 1)).count > 0, 30_000);
    const t0 = performance.now();
    const probe = firstAnswer(client, url, 'web2');
    const m2 = (await ok('POST', `/pools/${pool.id}/members`, { member: { address: ips.web2, protocol_port: 80 } })).member;
    const reachedAt = await probe;
    console.log(`| member add → receives traffic | ${fmt(reachedAt - t0)} ms | |`);
    await untilActive(lb.id);

    // 4. through the VIP against straight to one member
    const direct = await load(client, `http://${ips.web1}/`, CONCURRENCY, LOAD_SECONDS);
    const vip = await load(client, url, CONCURRENCY, LOAD_SECONDS);
    console.log(`\n| ${CONCURRENCY} clients, ${LOAD_SECONDS} s, new connection per request | requests/s | p50 | p99 | errors |\n|---|---:|---:|---:|---:|`);
    console.log(`| straight to one member | ${direct.rps.toFixed(0)} | ${fmt(direct.p50)} ms | ${fmt(direct.p99)} ms | ${direct.errors} |`);
    console.log(`| through the VIP (2 members) | ${vip.rps.toFixed(0)} | ${fmt(vip.p50)} ms | ${fmt(vip.p99)} ms | ${vip.errors} |`);
    console.log(`| VIP / straight | ${(vip.rps / direct.rps).toFixed(2)} | ${(vip.p50 / direct.p50).toFixed(2)} | ${(vip.p99 / direct.p99).toFixed(2)} | |`);

    // 3. reload with 100 members: the rest are addresses nobody answers on (no monitor: HAProxy keeps them in rotation, no traffic is sent here)
    const more = MEMBERS - 2;
    const base = 100;
    for (let i = 0; i < more; i++) {
      await ok('POST', `/pools/${pool.id}/members`, { member: { address: `10.60.1.${base + (i % 150)}`, protocol_port: 8000 + Math.floor(i / 150) } });
      await untilActive(lb.id);
    }
    const reload = new Samples();
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await ok('PUT', `/pools/${pool.id}/members/${m2.id}`, { member: { weight: 1 + (i % 5) } });
      await untilActive(lb.id);
      reload.add(performance.now() - t);
    }
    console.log(`\n| member update → ACTIVE with ${MEMBERS} members (config rendered, HAProxy reloaded, reported) | p50 ${fmt(reload.percentile(50))} ms | p99 ${fmt(reload.percentile(99))} ms |`);
  } finally {
    await bed?.dispose();
    await fx.stop();
    await run.close();
  }
}


function python(netns: string, code: string) {
  // stderr dropped: the member servers log every connection a client resets
  const child = spawn('ip', ['netns', 'exec', netns, 'python3', '-u', '-c', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  const recorded = run.process(child.pid, `python in ${netns}`);
  child.once('exit', () => run.forgetProcess(recorded));
  return child;
}

/** Requests in a loop until one is answered by `name`; resolves performance.now() of that answer. */
function firstAnswer(netns: string, url: string, name: string): Promise<number> {
  const child = python(netns, `
import urllib.request, time
end = time.time() + 60
while time.time() < end:
    try:
        if urllib.request.urlopen('${url}', timeout=1).read().decode().strip() == '${name}': print('ok', flush=True); break
    except Exception: pass
`);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', () => resolve(performance.now()));
    child.on('close', () => reject(new Error(`${name} never answered through ${url}`)));
  });
}

/** `concurrency` loops of GETs on new connections for `seconds`: requests/s, latency percentiles, errors. */
function load(netns: string, url: string, concurrency: number, seconds: number): Promise<{ count: number; rps: number; p50: number; p99: number; errors: number }> {
  const child = python(netns, `
import json, threading, time, urllib.request
lat = []; errors = [0]; lock = threading.Lock(); end = time.time() + ${seconds}
def loop():
    while time.time() < end:
        t = time.perf_counter()
        try:
            urllib.request.urlopen('${url}', timeout=2).read()
            with lock: lat.append((time.perf_counter() - t) * 1000)
        except Exception:
            with lock: errors[0] += 1
ts = [threading.Thread(target=loop) for _ in range(${concurrency})]
t0 = time.time()
for t in ts: t.start()
for t in ts: t.join()
took = time.time() - t0
lat.sort()
pct = lambda p: lat[min(len(lat) - 1, max(0, int(p / 100 * len(lat) + 0.5) - 1))] if lat else float('nan')
print(json.dumps({'count': len(lat), 'rps': len(lat) / took, 'p50': pct(50), 'p99': pct(99), 'errors': errors[0]}))
`);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.on('close', () => {
      try {
        resolve(JSON.parse(out.trim()));
      } catch {
        reject(new Error(`load: no result (${out})`));
      }
    });
  });
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
