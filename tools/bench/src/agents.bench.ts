import * as fs from 'node:fs';
import * as os from 'node:os';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { EventStore } from '@neutrino/events';
import { tapName } from '@neutrino/naming';
import { loadEntrypoints } from '@neutrino/process';
import { TestbedFixture, suiteAgents, testbedSkipReason, type RunRecord } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';
import { openBenchRun, recordSuite } from './bench-run';
import { Samples, fmt, waitFor } from './stats';
import { SCALE_QUOTAS } from './scale-quotas';

/**
 * Host-agent benchmark (not a test; needs root for the test bed parts):
 * 1. binding → ACTIVE latency of 100 ports booted on compute1 (real kernel);
 * 2. l2-agent start-up with 2,000 ports bound to its host already in the log (memory and linux drivers), and its restart;
 * 3. iptables rules on a host as a remote-group security group grows from 10 to 500 ports;
 * 4. the openvswitch mechanism (computes on OVS, netdev datapath): flows per port as a
 *    network grows, binding → ACTIVE over BENCH_OVS_BIND_PORTS (default 50), an agent restart with
 *    BENCH_OVS_RESTART_PORTS instances (default 100) plugged, and
 *    ping RTT / TCP throughput between instances on compute1 and compute2 over LinuxBridge and over OVS
 *    (VXLAN both), as a ratio in the same run.
 * BENCH_ONLY=startup|bind|growth|ovs runs one part; BENCH_KEEP_LOG=<dir> runs the test bed's agents at
 * debug level and copies their logs there before the bed goes (per-reconcile timings).
 */
const PORTS = Number(process.env.BENCH_BIND_PORTS ?? 100);
const STARTUP_PORTS = Number(process.env.BENCH_STARTUP_PORTS ?? 2000);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 20);
const GROWTH = (process.env.BENCH_SG_SIZES ?? '10,50,100,250,500').split(',').map(Number);
/** What this run makes outside its process (namespaces, agent processes, scratch files), for the next run to remove if this one is SIGKILLed. */
let run: RunRecord;

async function main(): Promise<void> {
  const skip = testbedSkipReason();
  if (skip) throw new Error(`the agent benchmark needs the test bed: ${skip}`);
  console.log(`Neutrino agent benchmark — ${os.cpus().length} cores (${os.cpus()[0]?.model}), Node ${process.version}, kernel ${os.release()}`);
  const only = process.env.BENCH_ONLY; // startup | bind | growth
  run = await openBenchRun('bench:agents');
  const fx = await SuiteFixture.start({ env: SCALE_QUOTAS });
  recordSuite(run, fx);
  try {
    if (!only || only === 'startup') {
      await startup(fx, 'memory');
      await startup(fx, 'linux');
    }
    if (only === 'startup') return;
    if (!only || only === 'ovs') await openvswitch(fx);
    if (only === 'ovs') return;
    const bed = await TestbedFixture.create({ apiUrl: fx.suite.apiUrl, agents: suiteAgents(fx.nats.url, fx.dataDir, (h) => (h.name === 'compute1' ? ['l2-agent'] : []), process.env.BENCH_KEEP_LOG ? { NEUTRINO_LOG_LEVEL: 'debug' } : {}) });
    try {
      if (!only || only === 'bind') await bindToActive(fx, bed);
      if (!only || only === 'growth') await ruleGrowth(fx, bed);
    } finally {
      if (process.env.BENCH_KEEP_LOG) fs.cpSync(`${bed.dir.dir}/logs`, process.env.BENCH_KEEP_LOG, { recursive: true });
      await bed.dispose();
    }
  } finally {
    await fx.stop();
    await run.close();
  }
}


async function bindToActive(fx: SuiteFixture, bed: TestbedFixture, label = '', ports = PORTS): Promise<void> {
  const net = (await fx.api('POST', '/v2.0/networks', { network: { name: `bench-bind${label}` } })).body.network;
  await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: label ? '10.102.0.0/22' : '10.100.0.0/22', ip_version: 4, enable_dhcp: false } });
  const s = new Samples();
  const booted = new Samples();
  const afterBoot = new Samples();
  for (let i = 0; i < ports; i++) {
    const t0 = performance.now();
    const vm = await bed.boot(`b${label ? 'o' : ''}${i}`, { networkId: net.id, host: 'compute1', dhcp: false, port: { port_security_enabled: i % 2 === 0 } });
    const t1 = performance.now();
    await waitFor(async () => (await fx.api('GET', `/v2.0/ports/${vm.portId}`)).body.port.status === 'ACTIVE', 60_000, 2);
    const t2 = performance.now();
    s.add(t2 - t0);
    booted.add(t1 - t0);
    afterBoot.add(t2 - t1);
  }
  console.log(`\n| binding → ACTIVE (port create + tap plug + agent wiring)${label}, ${ports} ports | p50 ${fmt(s.percentile(50))} ms | p99 ${fmt(s.percentile(99))} ms |`);
  // the parts: what the test bed's "hypervisor" does (the port create through the API, the instance's
  // namespace, the veth plugged, its addresses set), and from then until the API says ACTIVE
  console.log(`| of which the boot (port create + namespace + tap plug + addresses) | p50 ${fmt(booted.percentile(50))} ms | p99 ${fmt(booted.percentile(99))} ms |`);
  console.log(`| of which boot returned → ACTIVE (l2-agent wiring + status report + projection) | p50 ${fmt(afterBoot.percentile(50))} ms | p99 ${fmt(afterBoot.percentile(99))} ms |`);
}

/** 2,000 ports bound to one host straight into the log, then an l2-agent process starts: time to its first reconcile, and to a restart's. */
async function startup(fx: SuiteFixture, driver: 'memory' | 'linux'): Promise<void> {
  const host = `bench-${driver}`;
  const netns = `ntbench${process.pid}`;
  const store = await EventStore.connect({ servers: fx.nats.url });
  const actor = { user_id: null, project_id: 'bench', roles: ['admin'] };
  try {
    if (driver === 'linux') {
      execFileSync('ip', ['netns', 'add', run.netns(netns)]);
      const lines = ['link add eth1 type veth peer name eth1p', 'addr add 172.31.0.1/24 dev eth1', 'link set eth1 up'];
      fs.writeFileSync(run.path(`/tmp/${netns}.batch`), lines.join('\n') + '\n');
      execFileSync('ip', ['-n', netns, '-batch', `/tmp/${netns}.batch`]);
    }
    // A Linux bridge takes at most 1,024 ports: 100 ports per network, as a cloud would spread them.
    const netIds = Array.from({ length: Math.ceil(STARTUP_PORTS / 100) }, () => randomUUID());
    // each network has a subnet that its ports' addresses are on: a port on a subnet the network does not have is
    // stranded, and the gateway's deletion settler deletes it after two sweeps (mid-run, so the restart would find no ports)
    const subnetIds = netIds.map(() => randomUUID());
    for (const [k, id] of netIds.entries()) {
      await store.append([{ type: 'network.created', aggregate: { type: 'network', id }, actor, request_id: null, causation_id: null, data: {
        network: { id, name: 'bench', mtu: 1450, subnets: [], 'provider:network_type': 'vxlan', 'provider:physical_network': null, 'provider:segmentation_id': 900 + k, project_id: 'bench', tenant_id: 'bench', admin_state_up: true, status: 'ACTIVE', shared: false, 'router:external': false, port_security_enabled: true, tags: [], description: '', created_at: '', updated_at: '', revision_number: 1 },
      } }]);
      const subnet = subnetIds[k];
      await store.append([{ type: 'subnet.created', aggregate: { type: 'subnet', id: subnet }, actor, request_id: null, causation_id: null, data: {
        subnet: { id: subnet, network_id: id, ip_version: 4, cidr: '10.192.0.0/10', gateway_ip: null, enable_dhcp: false, dns_nameservers: [], host_routes: [], allocation_pools: [], project_id: 'bench', tenant_id: 'bench', name: '' },
      } }]);
    }
    const tapLines: string[] = [];
    const portIds: string[] = [];
    for (let i = 0; i < STARTUP_PORTS; i++) {
      const id = randomUUID();
      portIds.push(id);
      const ipAddr = `10.${200 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
      await store.append([{ type: 'port.created', aggregate: { type: 'port', id }, actor, request_id: null, causation_id: null, data: {
        port: { id, network_id: netIds[Math.floor(i / 100)], mac_address: `fa:16:3e:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
          fixed_ips: [{ subnet_id: subnetIds[Math.floor(i / 100)], ip_address: ipAddr }], 'binding:host_id': host, device_owner: 'compute:nova', device_id: '', admin_state_up: true, status: 'DOWN',
          security_groups: [], port_security_enabled: true, allowed_address_pairs: [], extra_dhcp_opts: [], 'binding:vif_type': 'unbound', 'binding:vif_details': {}, 'binding:profile': {}, 'binding:vnic_type': 'normal',
          project_id: 'bench', tenant_id: 'bench', name: '', description: '', tags: [], created_at: '', updated_at: '', revision_number: 1 },
      } }]);
      tapLines.push(`link add ${tapName(id)} type veth peer name p${i}`, `link set ${tapName(id)} up`);
    }
    if (driver === 'linux') {
      fs.writeFileSync(`/tmp/${netns}.batch`, tapLines.join('\n') + '\n');
      execFileSync('ip', ['-n', netns, '-batch', `/tmp/${netns}.batch`]);
    }
    // The memory driver keeps its model in the process, so each start builds it anew; the linux one finds the kernel as left.
    for (const run of ['first start', 'restart']) {
      const { ms, changes } = await runAgentOnce(fx, host, driver, driver === 'linux' ? netns : '');
      console.log(`| l2-agent ${run}, ${STARTUP_PORTS} ports, ${driver} driver | ${fmt(ms, 0)} ms to the end of its first reconcile (process start included) | ${changes} changes |`);
    }
    // One port of the 2,000 changes (an allowed address pair: its anti-spoofing chain is rewritten), CHANGES times.
    // Linux only: the memory driver's host has no taps (nothing plugs them), so its reconciles keep retrying the missing devices.
    if (driver !== 'linux') return;
    const t = new Samples();
    const r = new Samples();
    let n = 0;
    const full = await runAgentOnce(fx, host, driver, driver === 'linux' ? netns : '', async (waitFor, trusted) => {
      // a start that trusted the persisted installed state reads the host in full right after: let that read end first
      // (an event arriving meanwhile is applied by it and logged as the resync's, not as an event's)
      if (trusted) await waitFor(/"reason":"resync","changes":\d+,"observed":true/);
      for (let k = 0; k < CHANGES; k++) {
        const id = portIds[(k * 37) % portIds.length];
        const t0 = performance.now();
        await store.append([{ type: 'port.updated', aggregate: { type: 'port', id }, actor, request_id: null, causation_id: null, data: {
          changes: { allowed_address_pairs: [{ ip_address: `10.250.${k % 250}.1`, mac_address: 'fa:16:3e:aa:bb:cc' }] },
        } }]);
        // the resync timer may fire meanwhile: the change is then applied (and logged) by the resync, a slow sample, not a lost one
        const line = await waitFor(/"reason":"(?:event|resync)","changes":([1-9]\d*),"observed":(\w+),"failed":\d+,"ms":(\d+)/);
        t.add(performance.now() - t0);
        r.add(Number(line[3]));
        n += Number(line[1]);
      }
      return (await waitFor(/"reason":"resync","changes":\d+,"observed":true,"failed":\d+,"ms":(\d+)/))[1];
    });
    console.log(`| one port's change on a host with ${STARTUP_PORTS} ports, ${driver} driver, ${CHANGES} samples | event → applied p50 ${fmt(t.percentile(50))} ms, p99 ${fmt(t.percentile(99))} ms (the reconcile itself p50 ${fmt(r.percentile(50))} ms, p99 ${fmt(r.percentile(99))} ms) | ${fmt(n / CHANGES, 1)} changes each |`);
    console.log(`| a reconcile that reads the whole host (the resync; before: every event's), same host, ${driver} driver | ${full.extra} ms | |`);
  } finally {
    await store.close();
    if (driver === 'linux') {
      await run.removeNetns(netns);
      fs.rmSync(`/tmp/${netns}.batch`, { force: true });
    }
  }
}

type WaitFor = (re: RegExp) => Promise<RegExpExecArray>;

/** Start an l2-agent process until its first reconcile ends; with `then`, keep it running for that (it waits for log lines) first. */
function runAgentOnce(fx: SuiteFixture, host: string, driver: string, netns: string, then?: (waitFor: WaitFor, trusted: boolean) => Promise<string>): Promise<{ ms: number; changes: number; extra?: string }> {
  const e = loadEntrypoints() as ReturnType<typeof loadEntrypoints> & { services: Record<string, string> };
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--max-semi-space-size=2', '-r', e.register, e.services['l2-agent']], {
    env: { ...process.env, NEUTRINO_NATS_URL: fx.nats.url, NEUTRINO_DATA_DIR: fx.dataDir, NEUTRINO_HOST: host, NEUTRINO_HOST_NETNS: netns, NEUTRINO_LOCAL_IP: '172.31.0.1', NEUTRINO_DATAPLANE_DRIVER: driver, NEUTRINO_LOG_LEVEL: 'info',
      ...(then ? { NEUTRINO_AGENT_RESYNC_INTERVAL_MS: String(Number(process.env.BENCH_RESYNC_MS ?? 5000)) } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const recorded = run.process(child.pid, `l2-agent ${host}`);
  child.once('exit', () => run.forgetProcess(recorded));
  let buf = '';
  let waiting: { re: RegExp; from: number; resolve: (m: RegExpExecArray) => void } | undefined;
  let consumed = 0;
  const check = () => {
    if (!waiting) return;
    const m = waiting.re.exec(buf.slice(waiting.from));
    if (!m) return;
    consumed = waiting.from + m.index + m[0].length;
    const w = waiting;
    waiting = undefined;
    w.resolve(m);
  };
  const waitFor: WaitFor = (re) => new Promise((resolve) => {
    waiting = { re, from: consumed, resolve };
    check();
  });
  return new Promise((resolve, reject) => {
    let done: { ms: number; changes: number; extra?: string } | null = null;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf += d;
      if (process.env.BENCH_DEBUG) process.stderr.write(d);
      check();
      const m = /"reason":"start","changes":(\d+)/.exec(buf);
      if (m && !done) {
        done = { ms: performance.now() - t0, changes: Number(m[1]) };
        consumed = m.index + m[0].length;
        if (process.env.BENCH_VERBOSE) console.log(buf.split('\n').find((l) => l.includes('"reason":"start"')));
        if (!then) child.kill('SIGTERM');
        else then(waitFor, /"reason":"start"[^\n]*"trusted":true/.test(buf)).then((extra) => { done!.extra = extra; child.kill('SIGTERM'); }, (err) => { child.kill('SIGTERM'); reject(err); });
      }
    });
    child.once('exit', (code) => (done ? resolve(done) : reject(new Error(`agent exited (${code}) before reconciling:\n${buf.slice(-2000)}`))));
  });
}

/** iptables rules on compute1 with N ports of one group whose rule admits the group itself (remote_group_id). */
async function ruleGrowth(fx: SuiteFixture, bed: TestbedFixture): Promise<void> {
  const sg = (await fx.api('POST', '/v2.0/security-groups', { security_group: { name: 'grow' } })).body.security_group.id;
  await fx.api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_group_id: sg } });
  const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'bench-grow' } })).body.network;
  await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.101.0.0/20', ip_version: 4, enable_dhcp: false } });
  const count = async () => (await bed.execHost('compute1', ['iptables-save', '-t', 'filter'])).stdout.split('\n').filter((l) => l.startsWith('-A ')).length;
  const base = await count();
  console.log('\n| ports in the group on compute1 | iptables rules (filter, IPv4) | rules per port | ipset members |');
  console.log('|---:|---:|---:|---:|');
  let made = 0;
  for (const n of GROWTH) {
    while (made < n) {
      await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id, security_groups: [sg], 'binding:host_id': 'compute1', device_owner: 'compute:nova' } });
      made++;
    }
    // the agent has caught up when the count holds still for half a second
    let rules = await count();
    for (let prev = -1; rules !== prev; ) {
      await new Promise((r) => setTimeout(r, 500));
      [prev, rules] = [rules, await count()];
    }
    const members = (await bed.execHost('compute1', ['ipset', 'list', `NIPv4${sg.slice(0, 24)}`])).stdout.split('\n').filter((l) => /^\d/.test(l)).length;
    console.log(`| ${n} | ${rules} | ${fmt((rules - base) / n, 1)} | ${members} |`);
  }
}

const OVS_RESTART_PORTS = Number(process.env.BENCH_OVS_RESTART_PORTS ?? 100);
const OVS_BIND_PORTS = Number(process.env.BENCH_OVS_BIND_PORTS ?? 50);
const OVS_GROWTH = (process.env.BENCH_OVS_SIZES ?? '10,50,100,250').split(',').map(Number);

/** Ping RTT and a bounded TCP stream between two instances of a fresh VXLAN network, a on compute1, b on compute2. */
async function pathFigures(fx: SuiteFixture, bed: TestbedFixture, tag: string): Promise<{ rtt: number; mbps: number }> {
  const net = (await fx.api('POST', '/v2.0/networks', { network: { name: `bench-path-${tag}` } })).body.network;
  await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.103.0.0/24', ip_version: 4, enable_dhcp: false } });
  const sg = (await fx.api('POST', '/v2.0/security-groups', { security_group: { name: `open-${tag}` } })).body.security_group.id;
  for (const protocol of ['icmp', 'tcp']) await fx.api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol } });
  const a = await bed.boot(`pa-${tag}`, { networkId: net.id, host: 'compute1', dhcp: false, port: { security_groups: [sg] } });
  const b = await bed.boot(`pb-${tag}`, { networkId: net.id, host: 'compute2', dhcp: false, port: { security_groups: [sg] } });
  const ipB = b.fixedIps[0].ip_address;
  await waitFor(async () => (await bed.exec(a.name, ['ping', '-c', '1', '-W', '1', ipB])).code === 0, 60_000, 2);
  const ping = await bed.exec(a.name, ['ping', '-q', '-c', '200', '-i', '0.01', ipB], { timeoutMs: 60_000 });
  const rtt = Number(/= [\d.]+\/([\d.]+)\//.exec(ping.stdout)?.[1]);
  // receiver counts bytes until EOF and answers the count; the sender times 256 MiB in 1 MiB writes up to that answer
  const server = bed.exec(b.name, ['python3', '-c', `
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', 5201)); s.listen(1)
c, _ = s.accept(); n = 0
while True:
    d = c.recv(1 << 20)
    if not d: break
    n += len(d)
c.sendall(str(n).encode()); c.close()
`], { timeoutMs: 120_000 });
  await new Promise((r) => setTimeout(r, 300));
  const client = await bed.exec(a.name, ['python3', '-c', `
import socket, time
c = socket.create_connection(('${ipB}', 5201)); buf = b'x' * (1 << 20); t0 = time.perf_counter()
for _ in range(256): c.sendall(buf)
c.shutdown(socket.SHUT_WR); n = int(c.recv(64)); t = time.perf_counter() - t0
print(n * 8 / t / 1e6)
`], { timeoutMs: 120_000 });
  await server;
  return { rtt, mbps: Number(client.stdout.trim()) };
}

/** The openvswitch rows: a LinuxBridge bed then an openvswitch one (the same host names: one at a time). */
async function openvswitch(fx: SuiteFixture): Promise<void> {
  const agents = suiteAgents(fx.nats.url, fx.dataDir, (h) => (h.name === 'network1' ? [] : ['l2-agent']));
  const lbBed = await TestbedFixture.create({ apiUrl: fx.suite.apiUrl, agents });
  let lb: { rtt: number; mbps: number };
  try {
    lb = await pathFigures(fx, lbBed, 'lb');
  } finally {
    await lbBed.dispose();
  }
  const bed = await TestbedFixture.create({ apiUrl: fx.suite.apiUrl, mechanism: 'openvswitch', agents });
  try {
    const ovs = await pathFigures(fx, bed, 'ovs');
    console.log(`\n| compute1 → compute2 over VXLAN, same run | ping RTT avg (200, 10 ms apart) | TCP stream (256 MiB, one connection) |\n|---|---:|---:|`);
    console.log(`| LinuxBridge (kernel bridge + vxlan device) | ${fmt(lb.rtt, 3)} ms | ${fmt(lb.mbps, 0)} Mbit/s |`);
    console.log(`| Open vSwitch (userspace datapath, hybrid plug) | ${fmt(ovs.rtt, 3)} ms | ${fmt(ovs.mbps, 0)} Mbit/s |`);
    console.log(`| OVS / LinuxBridge | ${fmt(ovs.rtt / lb.rtt)} | ${fmt(ovs.mbps / lb.mbps)} |`);
    await bindToActive(fx, bed, ' on openvswitch', OVS_BIND_PORTS);
    await ovsFlowGrowth(fx, bed);
    await ovsRestart(fx, bed);
  } finally {
    await bed.dispose();
  }
}

/** Our flows on a host's br-int and br-tun (learned MACs left out). */
async function ovsFlows(bed: TestbedFixture, host: string): Promise<number> {
  let n = 0;
  for (const b of ['br-int', 'br-tun']) {
    const r = await bed.execHost(host, ['ovs-ofctl', '--no-stats', 'dump-flows', `unix:${bed.host(host).ovsRunDir}/${b}.mgmt`]);
    n += r.stdout.split('\n').filter((l) => l.includes('cookie=0x6e7472696e6f') && !l.includes('hard_timeout=300,')).length;
  }
  return n;
}

/** compute1's flows as a network's ports on compute2 grow (l2population: one unicast flow per remote MAC). */
async function ovsFlowGrowth(fx: SuiteFixture, bed: TestbedFixture): Promise<void> {
  const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'bench-ovs-grow' } })).body.network;
  await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.104.0.0/22', ip_version: 4, enable_dhcp: false } });
  const base = await ovsFlows(bed, 'compute1');
  await bed.boot('grow-local', { networkId: net.id, host: 'compute1', dhcp: false });
  console.log('\n| ports of the network on compute2 (one on compute1) | our flows on compute1 (br-int + br-tun) | flows per remote port |\n|---:|---:|---:|');
  let made = 0;
  for (const n of OVS_GROWTH) {
    while (made < n) {
      // bound there, never plugged: l2population announces a port by its binding, so compute1 learns its MAC all the same
      await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id, 'binding:host_id': 'compute2', device_owner: 'compute:nova' } });
      made++;
    }
    let flows = await ovsFlows(bed, 'compute1');
    for (let prev = -1; flows !== prev; ) {
      await new Promise((r) => setTimeout(r, 500));
      [prev, flows] = [flows, await ovsFlows(bed, 'compute1')];
    }
    console.log(`| ${n} | ${flows} | ${fmt((flows - base) / n, 2)} |`);
  }
}

/** compute1's l2-agent restarted with OVS_RESTART_PORTS instances plugged there: time to its first reconcile and its changes. */
async function ovsRestart(fx: SuiteFixture, bed: TestbedFixture): Promise<void> {
  const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'bench-ovs-restart' } })).body.network;
  await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.108.0.0/20', ip_version: 4, enable_dhcp: false } });
  const have = bed.instances().filter((i) => i.host === 'compute1').length;
  for (let i = have; i < OVS_RESTART_PORTS; i++) {
    const vm = await bed.boot(`r${i}`, { networkId: net.id, host: 'compute1', dhcp: false });
    await waitFor(async () => (await fx.api('GET', `/v2.0/ports/${vm.portId}`)).body.port.status === 'ACTIVE', 30_000, 2);
  }
  const agent = bed.agents.find((a) => a.host === 'compute1' && a.name === 'l2-agent')!;
  const logFile = `${bed.dir.dir}/logs/compute1.l2-agent.log`;
  const from = fs.statSync(logFile).size;
  const pid = agent.process.pid;
  const t0 = performance.now();
  agent.process.signal('SIGTERM');
  let line: { changes: number } | undefined;
  await waitFor(async () => {
    line = fs.readFileSync(logFile, 'utf8').slice(from).split('\n').filter((l) => l.includes('"reason":"start"')).map((l) => JSON.parse(l))[0];
    return agent.process.pid !== pid && !!line;
  }, 120_000, 2);
  const ports = bed.instances().filter((i) => i.host === 'compute1').length;
  console.log(`\n| openvswitch l2-agent restart, ${ports} instances plugged on its host | ${fmt(performance.now() - t0, 0)} ms from SIGTERM to the end of the new process's first reconcile | ${line!.changes} changes | ${await ovsFlows(bed, 'compute1')} flows |`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
