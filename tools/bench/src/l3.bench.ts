import * as os from 'node:os';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { EventStore } from '@neutrino/events';
import { routerNetns } from '@neutrino/naming';
import { loadEntrypoints } from '@neutrino/process';
import { TestbedFixture, suiteAgents, testbedSkipReason, type HostInfo, type RunRecord } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';
import { openBenchRun, recordSuite } from './bench-run';
import { Samples, fmt } from './stats';
import { SCALE_QUOTAS } from './scale-quotas';

/**
 * Router benchmark (not a test; needs root):
 * 1. router-interface-add → an instance on the new subnet reaches the internet namespace (TCP whoami), on the test bed;
 * 2. floating-IP associate → the internet namespace reaches the instance through it;
 * 3. l3-agent start-up with 500 routers and 2,000 floating IPs on its host already in the log (memory and linux drivers), and its restart.
 */
const SAMPLES = Number(process.env.BENCH_L3_SAMPLES ?? 25);
const ROUTERS = Number(process.env.BENCH_L3_ROUTERS ?? 500);
const FIPS = Number(process.env.BENCH_L3_FIPS ?? 2000);
/** ARP retry of the probing namespaces (kernel default 1,000 ms, which would be most of what is measured); 0: kernel defaults. */
const ARP_RETRY_MS = Number(process.env.BENCH_L3_ARP_RETRY_MS ?? 20);
/** What this run makes outside its process (namespaces, agent and probe processes), for the next run to remove if this one is SIGKILLed. */
let run: RunRecord;

async function main(): Promise<void> {
  const skip = testbedSkipReason();
  if (skip) throw new Error(`the router benchmark needs the test bed: ${skip}`);
  console.log(`Neutrino router benchmark — ${os.cpus().length} cores (${os.cpus()[0]?.model}), Node ${process.version}, kernel ${os.release()}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const only = process.env.BENCH_ONLY; // latency | startup
  run = await openBenchRun('bench:l3');
  const fx = await SuiteFixture.start({ env: SCALE_QUOTAS });
  recordSuite(run, fx);
  try {
    if (!only || only === 'latency') await latencies(fx);
    if (!only || only === 'startup') for (const driver of ['memory', 'linux'] as const) await startup(fx, driver);
  } finally {
    await fx.stop();
    await run.close();
  }
}

/**
 * A python loop in a namespace that starts a TCP connect to ip:port every 10 ms (each attempt lives 1 s, so a SYN lost
 * before the path exists does not hold the next one back); `reached` resolves (performance.now()) at the first answer.
 */
function reach(netns: string, ip: string, port: number, timeoutS = 30) {
  const code = `
import socket, select, time, sys
print('ready', flush=True)
end = time.time() + ${timeoutS}
live = []
while time.time() < end:
    s = socket.socket(); s.setblocking(False); s.connect_ex(('${ip}', ${port})); live.append((time.time(), s))
    _, w, _ = select.select([], [x for _, x in live], [], 0.01)
    for x in w:
        if x.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
            x.setblocking(True); x.settimeout(1)
            try:
                if x.recv(100): print('ok', flush=True); sys.exit(0)
            except Exception:
                pass
    for t, x in [e for e in live if e[1] in w or time.time() - e[0] > 1]:
        x.close(); live.remove((t, x))
print('timeout', flush=True)
`;
  const child = spawn('ip', ['netns', 'exec', netns, 'python3', '-u', '-c', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  const recorded = run.process(child.pid, `probe in ${netns}`);
  child.once('exit', () => run.forgetProcess(recorded));
  let onReady!: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  const reached = new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (d.includes('ready')) onReady();
      if (d.includes('ok')) resolve(performance.now());
      if (d.includes('timeout')) reject(new Error(`${ip}:${port} not reached from ${netns}`));
    });
  });
  return { ready, reached };
}

/** A TCP server in a namespace answering every connection with a line (stopped after `seconds`). */
function serve(netns: string, port: number, seconds: number): void {
  const code = `
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', ${port})); s.listen(64)
while True:
    c, a = s.accept(); c.sendall(b'hi ' + a[0].encode() + b'\\n'); c.close()
`;
  const child = spawn('ip', ['netns', 'exec', netns, 'timeout', String(seconds), 'python3', '-c', code], { stdio: 'ignore' });
  const recorded = run.process(child.pid, `server in ${netns}`);
  child.once('exit', () => run.forgetProcess(recorded));
  child.unref();
}

/** ARP resolution retried every ARP_RETRY_MS for ~2 s in the namespace (eth0), so an address that becomes reachable is found within that. */
function fastArp(netns: string): void {
  if (ARP_RETRY_MS <= 0) return;
  const solicit = Math.max(3, Math.round(2000 / ARP_RETRY_MS));
  execFileSync('ip', ['netns', 'exec', netns, 'sysctl', '-q', '-w', `net.ipv4.neigh.eth0.retrans_time_ms=${ARP_RETRY_MS}`, `net.ipv4.neigh.eth0.mcast_solicit=${solicit}`]);
}

async function timedReach(netns: string, ip: string, port: number, act: () => Promise<unknown>): Promise<number> {
  const probe = reach(netns, ip, port);
  await probe.ready;
  const t0 = performance.now();
  await act();
  return (await probe.reached) - t0;
}

async function latencies(fx: SuiteFixture): Promise<void> {
  const perHost = (h: HostInfo) => (h.network ? ['l2-agent', 'l3-agent'] : ['l2-agent']);
  const bed = await TestbedFixture.create({
    apiUrl: fx.suite.apiUrl,
    hosts: [{ name: 'network1', network: true }, { name: 'compute1' }],
    agents: suiteAgents(fx.nats.url, fx.dataDir, perHost, { NEUTRINO_ENABLE_METADATA_PROXY: 'false' }),
  });
  const api = async (method: string, url: string, body?: unknown) => {
    const r = await fx.api(method, url, body);
    if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  try {
    const deadline = Date.now() + 30_000;
    while (!(await api('GET', '/v2.0/agents?agent_type=L3%20agent')).agents.some((a: { alive: boolean }) => a.alive)) {
      if (Date.now() > deadline) throw new Error('no alive L3 agent');
      await new Promise((r) => setTimeout(r, 200));
    }
    const ext = (await api('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' } })).network;
    await api('POST', '/v2.0/subnets', { subnet: { network_id: ext.id, ip_version: 4, cidr: '203.0.113.0/24', gateway_ip: '203.0.113.1', enable_dhcp: false, allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.250' }] } });
    const router = (await api('POST', '/v2.0/routers', { router: { name: 'bench', external_gateway_info: { network_id: ext.id } } })).router;
    const sg = (await api('GET', '/v2.0/security-groups?name=default')).security_groups[0].id;
    await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 2222, port_range_max: 2222 } });
    const internet = bed.plan.internet.netns;
    fastArp(internet);
    serve(internet, 8080, 3600);

    const ifAdd = new Samples();
    const vms: Array<{ netns: string; portId: string }> = [];
    for (let i = 0; i < SAMPLES; i++) {
      const net = (await api('POST', '/v2.0/networks', { network: { name: `b${i}` } })).network;
      const subnet = (await api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: `10.60.${i}.0/24`, enable_dhcp: false } })).subnet;
      const vm = await bed.boot(`vm${i}`, { networkId: net.id, host: 'compute1', dhcp: false });
      vms.push({ netns: vm.netns, portId: vm.portId! });
      fastArp(vm.netns);
      ifAdd.add(await timedReach(vm.netns, '203.0.113.1', 8080, () => api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id })));
    }

    const fipAssoc = new Samples();
    for (let i = 0; i < SAMPLES; i++) {
      const vm = vms[i % vms.length];
      serve(vm.netns, 2222, 60);
      const fip = (await api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } })).floatingip;
      fipAssoc.add(await timedReach(internet, fip.floating_ip_address, 2222, () => api('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: vm.portId } })));
      await api('DELETE', `/v2.0/floatingips/${fip.id}`);
    }
    console.log(`\n| measurement (ARP retry in the probing namespaces: ${ARP_RETRY_MS > 0 ? `${ARP_RETRY_MS} ms` : 'kernel default'}) | samples | p50 ms | p99 ms |`);
    console.log('|---|---:|---:|---:|');
    console.log(`| router-interface-add → instance reaches the internet (TCP) | ${ifAdd.count} | ${fmt(ifAdd.percentile(50), 0)} | ${fmt(ifAdd.percentile(99), 0)} |`);
    console.log(`| floating-IP associate → internet reaches the instance (TCP) | ${fipAssoc.count} | ${fmt(fipAssoc.percentile(50), 0)} | ${fmt(fipAssoc.percentile(99), 0)} |`);
  } finally {
    await bed.dispose();
  }
}

/**
 * ROUTERS routers scheduled to one host straight into the log, each with a gateway port, an interface on its own
 * tenant subnet and FIPS/ROUTERS floating IPs; then an l3-agent process starts: time to its first reconcile, and a restart's.
 */
async function startup(fx: SuiteFixture, driver: 'memory' | 'linux'): Promise<void> {
  const host = `bench-l3-${driver}-${process.pid}`;
  const netns = `ntbl3${process.pid}`;
  const prefix = `${netns}-`;
  const store = await EventStore.connect({ servers: fx.nats.url });
  const actor = { user_id: null, project_id: 'bench', roles: ['admin'] };
  const append = (type: string, aggregate: string, id: string, data: unknown) =>
    store.append([{ type, aggregate: { type: aggregate, id }, actor, request_id: null, causation_id: null, data }]);
  const network = (id: string, extra: object) => ({
    id, name: 'bench', mtu: 1450, subnets: [], 'provider:network_type': 'vxlan', 'provider:physical_network': null, 'provider:segmentation_id': null, project_id: 'bench', tenant_id: 'bench',
    admin_state_up: true, status: 'ACTIVE', shared: false, 'router:external': false, port_security_enabled: true, tags: [], description: '', created_at: '', updated_at: '', revision_number: 1, ...extra,
  });
  const subnet = (id: string, networkId: string, cidr: string, gatewayIp: string) =>
    ({ id, network_id: networkId, ip_version: 4, cidr, gateway_ip: gatewayIp, enable_dhcp: false, dns_nameservers: [], host_routes: [], allocation_pools: [], project_id: 'bench', tenant_id: 'bench', name: '' });
  let mac = 0;
  const port = (id: string, networkId: string, subnetId: string, ip: string, owner: string, deviceId: string) => {
    mac++;
    return {
      id, network_id: networkId, mac_address: `fa:16:3f:${((mac >> 16) & 255).toString(16).padStart(2, '0')}:${((mac >> 8) & 255).toString(16).padStart(2, '0')}:${(mac & 255).toString(16).padStart(2, '0')}`,
      fixed_ips: [{ subnet_id: subnetId, ip_address: ip }], 'binding:host_id': host, device_owner: owner, device_id: deviceId, admin_state_up: true, status: 'DOWN',
      security_groups: [], port_security_enabled: false, allowed_address_pairs: [], extra_dhcp_opts: [], project_id: 'bench', tenant_id: 'bench', name: '', description: '', tags: [], revision_number: 1,
    };
  };
  // external 100.64.0.0/16: gateway ports from .1.x, floating IPs from .16.x on
  const extIp = (n: number) => `100.64.${Math.floor(n / 250)}.${(n % 250) + 2}`;
  try {
    if (driver === 'linux') execFileSync('ip', ['netns', 'add', run.netns(netns)]);
    const extNet = randomUUID();
    const extSub = randomUUID();
    await append('network.created', 'network', extNet, { network: network(extNet, { mtu: 1500, 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' }) });
    await append('subnet.created', 'subnet', extSub, { subnet: subnet(extSub, extNet, '100.64.0.0/16', '100.64.0.1') });
    const t0 = performance.now();
    for (let i = 0; i < ROUTERS; i++) {
      const [router, net, sub, gw, itf] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      if (driver === 'linux') run.netns(routerNetns(router, prefix)); // the agent makes it: recorded by its exact name first
      const cidr = `10.${100 + Math.floor(i / 256)}.${i % 256}`;
      await append('network.created', 'network', net, { network: network(net, { 'provider:segmentation_id': 2000 + i }) });
      await append('subnet.created', 'subnet', sub, { subnet: subnet(sub, net, `${cidr}.0/24`, `${cidr}.1`) });
      await append('router.created', 'router', router, {
        router: {
          id: router, name: `r${i}`, description: '', tenant_id: 'bench', project_id: 'bench', admin_state_up: true, status: 'ACTIVE', routes: [], distributed: false, ha: false, tags: [],
          external_gateway_info: { network_id: extNet, enable_snat: true, external_fixed_ips: [{ subnet_id: extSub, ip_address: extIp(250 + i) }] },
        },
      });
      await append('port.created', 'port', gw, { port: port(gw, extNet, extSub, extIp(250 + i), 'network:router_gateway', router) });
      await append('port.created', 'port', itf, { port: port(itf, net, sub, `${cidr}.1`, 'network:router_interface', router) });
      await append('router.scheduled', 'router', router, { router_id: router, hosts: [host] });
      for (let k = 0; k < FIPS / ROUTERS; k++) {
        const fip = randomUUID();
        const n = 4000 + i * Math.ceil(FIPS / ROUTERS) + k;
        await append('floatingip.created', 'floatingip', fip, {
          floatingip: { id: fip, description: '', tenant_id: 'bench', project_id: 'bench', floating_network_id: extNet, floating_ip_address: extIp(n), port_id: randomUUID(), fixed_ip_address: `${cidr}.${10 + k}`, router_id: router, status: 'DOWN', tags: [] },
        });
      }
    }
    if (driver === 'memory') console.log(`\n(${ROUTERS} routers, ${FIPS} floating IPs appended in ${fmt((performance.now() - t0) / 1000, 1)} s)`);
    for (const run of ['first start', 'restart']) {
      const { ms, changes, detail } = await runL3AgentOnce(fx, host, driver, driver === 'linux' ? netns : '', prefix);
      console.log(`| l3-agent ${run}, ${ROUTERS} routers + ${FIPS} floating IPs, ${driver} driver | ${fmt(ms / 1000, 1)} s to the end of its first reconcile (process start included) | ${changes} changes | ${detail} |`);
    }
  } finally {
    await store.close();
    // The agent's router namespaces (recorded by exact name before their routers were), then the host's.
    if (driver === 'linux') await run.removeNetns(...run.recorded.netns.filter((n) => n.startsWith(prefix)), netns);
  }
}

/** The parts of a start the agent logs: replay of the log, desired state, observe, diff, apply (ms), and the process's CPU time. */
function startDetail(lines: string): string {
  const pick = (re: RegExp) => {
    const line = lines.split('\n').find((l) => re.test(l));
    try {
      return line ? (JSON.parse(line) as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const replay = pick(/host view caught up/);
  const start = pick(/"reason":"start"/);
  const trust = start.trusted ? `, persisted state read and trusted ${start.trustMs} ms` : '';
  return `replay ${replay.replayMs ?? '?'} ms, desired ${start.desiredMs ?? '?'} ms${trust}, observe ${start.observeMs ?? '?'} ms, diff ${start.diffMs ?? '?'} ms, apply ${start.applyMs ?? '?'} ms`;
}

function runL3AgentOnce(fx: SuiteFixture, host: string, driver: string, hostNetns: string, prefix: string): Promise<{ ms: number; changes: number; detail: string }> {
  const e = loadEntrypoints() as ReturnType<typeof loadEntrypoints> & { services: Record<string, string> };
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--max-semi-space-size=2', '-r', e.register, e.services['l3-agent']], {
    env: {
      ...process.env, NEUTRINO_NATS_URL: fx.nats.url, NEUTRINO_DATA_DIR: fx.dataDir, NEUTRINO_HOST: host, NEUTRINO_HOST_NETNS: hostNetns, NEUTRINO_NETNS_PREFIX: prefix,
      NEUTRINO_DATAPLANE_DRIVER: driver, NEUTRINO_ENABLE_METADATA_PROXY: 'false', NEUTRINO_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const recorded = run.process(child.pid, `l3-agent ${host}`);
  child.once('exit', () => run.forgetProcess(recorded));
  return new Promise((resolve, reject) => {
    let buf = '';
    let done: { ms: number; changes: number; detail: string } | null = null;
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf = (buf + d).slice(-200_000);
      const m = /"reason":"start","changes":(\d+).*\n/.exec(buf);
      if (m && !done) done = { ms: performance.now() - t0, changes: Number(m[1]), detail: startDetail(buf) };
      if (!done || killed) return;
      // started from its persisted installed state: the full observe of the host follows at once; time it too
      const trusted = /"reason":"start".*"trusted":true/.test(buf);
      const r = trusted ? /"reason":"resync","changes":(\d+).*"observeMs":(\d+).*\n/.exec(buf) : null;
      if (trusted && !r) return;
      if (r) done.detail += `; trusted, then the full observe: ${fmt((performance.now() - t0) / 1000, 1)} s from process start (observe ${r[2]} ms), ${r[1]} changes`;
      killed = true;
      child.kill('SIGTERM');
    });
    child.once('exit', (code) => (done ? resolve(done) : reject(new Error(`l3-agent exited (${code}) before reconciling:\n${buf.slice(-2000)}`))));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
