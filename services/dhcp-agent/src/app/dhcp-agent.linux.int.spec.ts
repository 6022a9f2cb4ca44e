import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinuxDriver, reconcile, type ReconcileResult } from '@neutrino/dataplane';
import type { StoredEvent } from '@neutrino/events';
import { DHCP_PORT, HOST, NET, VM1, VM2, ev, myUserNetworkLog } from '../__fixtures__/dhcp-log';
import { dhcpDesired, type DhcpDesiredSettings } from '../desired/dhcp-desired';
import { tapName } from '@neutrino/naming';
import { DhcpView } from '../view/dhcp-view';
import { dnsmasqConfRoot } from './conf-dir';
import { dhcpOwnership } from './dhcp-ownership';

const which = (cmd: string): string | undefined => {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
};
const skip =
  process.getuid?.() !== 0 ? 'not root' : !which('dnsmasq') ? 'dnsmasq (dnsmasq-base) is missing' : !which('udhcpc') ? 'udhcpc (busybox) is missing' : null;
if (skip) console.warn(`dhcp-agent linux integration test skipped: ${skip} (it needs root, dnsmasq and udhcpc)`);
const describeRoot = skip ? describe.skip : describe;
jest.setTimeout(60_000);

const P = `ntd${process.pid.toString(36)}-`; // every namespace of this test starts with it
const HOSTNS = `${P}host`;
const QDHCP = `${P}qdhcp-${NET}`;
const BRQ = `brq${NET.slice(0, 11)}`;
const VMS: Record<string, { netns: string; mac: string; ip: string }> = { [VM1]: { netns: `${P}vm1`, mac: 'fa:16:3e:11:22:33', ip: '192.168.204.51' }, [VM2]: { netns: `${P}vm2`, mac: 'fa:16:3e:3a:db:a9', ip: '192.168.204.52' } };

const sh = (...argv: string[]) => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8' });
const hostIp = (...args: string[]) => sh('ip', '-n', HOSTNS, ...args);
const quiet = (...argv: string[]) => {
  try {
    sh(...argv);
  } catch {
    /* cleanup is best effort */
  }
};
const ours = () => sh('ip', 'netns', 'list').split('\n').map((l) => l.split(' ')[0]).filter((n) => n.startsWith(P));
/** Running (a zombie left for a non-reaping init counts as gone). */
const alive = (pid: number) => existsSync(`/proc/${pid}/stat`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
const ms = (t0: number) => Math.round(performance.now() - t0);

/** An instance as a hypervisor plugs it: tap<port> in the bridge on the host, eth0 with the port's MAC in its namespace. */
function plugInstance(portId: string): void {
  const vm = VMS[portId];
  sh('ip', 'netns', 'add', vm.netns);
  hostIp('link', 'add', tapName(portId), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', vm.netns);
  hostIp('link', 'set', tapName(portId), 'master', BRQ, 'up');
  sh('ip', '-n', vm.netns, 'link', 'set', 'eth0', 'address', vm.mac);
  sh('ip', '-n', vm.netns, 'link', 'set', 'eth0', 'up');
  sh('ip', '-n', vm.netns, 'link', 'set', 'lo', 'up');
}

describeRoot('dhcp-agent on the real kernel with a real dnsmasq', () => {
  // A data dir as `mktemp -d` makes it (0700): dnsmasq drops to nobody and could not read its files there
  const dir = mkdtempSync(join(tmpdir(), 'neutrino-dhcp-int-'));
  const runRoot = mkdtempSync(join(tmpdir(), 'neutrino-dhcp-run-'));
  chmodSync(runRoot, 0o755);
  const confRoot = dnsmasqConfRoot(dir, join(runRoot, 'neutrino'));
  const cfg: DhcpDesiredSettings = { netnsPrefix: P, confRoot: confRoot.dir, leaseSeconds: 86400, domain: 'openstacklocal', enableIsolatedMetadata: true, dnsmasqBin: 'dnsmasq' };
  const driver = new LinuxDriver({ hostNetns: HOSTNS, stateDir: join(dir, 'agents', `${HOST}-dhcp`) });
  const scope = { ownership: dhcpOwnership(P) };
  const view = new DhcpView(HOST);
  const clients: number[] = [];
  const pidFile = join(cfg.confRoot, NET, 'pid');
  const dnsmasqPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined);
  const figures: Record<string, number> = {};
  let firstPid: number | undefined;

  const feed = (...events: StoredEvent[]) => events.forEach((e) => view.apply(e));
  const step = async (name: string, settings = cfg): Promise<ReconcileResult> => {
    const t0 = performance.now();
    const r = await reconcile(driver, dhcpDesired(view, settings), scope);
    figures[name] = ms(t0);
    if (r.changes.length) figures[`${name}: apply`] = Math.round(r.applied.durationMs);
    if (r.applied.failed) throw new Error(`${name}: ${r.applied.errors.map((e) => `${e.command}: ${e.message}`).join('; ')}`);
    return r;
  };

  /** udhcpc in the instance's namespace; resolves with what the lease said (the script's environment). */
  function lease(portId: string): Promise<Record<string, string>> {
    const vm = VMS[portId];
    const out = join(dir, `lease-${vm.netns}`);
    const script = join(dir, 'udhcpc.sh');
    writeFileSync(script, '#!/bin/sh\n[ "$1" = bound ] && env > "$LEASE_OUT"\nexit 0\n', { mode: 0o755 });
    rmSync(out, { force: true });
    const child = spawn('ip', ['netns', 'exec', vm.netns, 'udhcpc', '-i', 'eth0', '-f', '-q', '-n', '-t', '6', '-T', '1', '-O', 'mtu', '-O', 'staticroutes', '-s', script], {
      env: { ...process.env, LEASE_OUT: out },
      stdio: 'ignore',
    });
    clients.push(child.pid!);
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => {
        if (code !== 0 || !existsSync(out)) return reject(new Error(`udhcpc in ${vm.netns} got no lease (exit ${code})`));
        const env = Object.fromEntries(readFileSync(out, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
        resolve(env);
      });
    });
  }

  beforeAll(() => {
    sh('ip', 'netns', 'add', HOSTNS);
    hostIp('link', 'set', 'lo', 'up');
    // stands in for the l2-agent's bridge of the network
    hostIp('link', 'add', BRQ, 'type', 'bridge', 'stp_state', '0');
    hostIp('link', 'set', BRQ, 'up');
  });

  afterAll(() => {
    if (process.env.DHCP_INT_KEEP) return;
    for (const pid of [...clients, dnsmasqPid(), firstPid]) if (pid && alive(pid)) quiet('kill', '-9', String(pid));
    for (const n of ours()) quiet('ip', 'netns', 'delete', n);
    rmSync(dir, { recursive: true, force: true });
    rmSync(runRoot, { recursive: true, force: true });
    console.log(`dhcp-agent linux figures (ms): ${JSON.stringify(figures)}`);
  });

  it('builds qdhcp-, the veth pair and a real dnsmasq in it', async () => {
    expect(confRoot).toEqual({ dir: expect.stringContaining(runRoot), closed: dir });
    feed(...myUserNetworkLog().filter((e) => e.aggregate.id !== VM2));
    const r = await step('first reconcile');
    expect(r.changes.length).toBeGreaterThan(0);
    expect(ours()).toEqual(expect.arrayContaining([QDHCP]));
    const ns = JSON.parse(sh('ip', '-n', QDHCP, '-j', 'addr', 'show', 'ns-971fda0d-ea'))[0];
    expect(ns.address).toBe('fa:16:3e:9a:6e:1d');
    expect(ns.mtu).toBe(1450);
    expect(ns.addr_info.map((a: { local: string; prefixlen: number }) => `${a.local}/${a.prefixlen}`)).toEqual(expect.arrayContaining(['192.168.204.50/24', '169.254.169.254/16']));
    const tap = JSON.parse(hostIp('-j', 'link', 'show', 'tap971fda0d-ea'))[0];
    expect(tap.master).toBeUndefined();
    firstPid = dnsmasqPid();
    expect(firstPid && alive(firstPid)).toBeTruthy();
    expect(readFileSync(`/proc/${firstPid}/cmdline`, 'utf8').split('\0')).toContain('--interface=ns-971fda0d-ea');
    expect(sh('ip', 'netns', 'identify', String(firstPid)).trim()).toBe(QDHCP);
    expect(readFileSync(join(cfg.confRoot, NET, 'host'), 'utf8')).toContain('fa:16:3e:11:22:33,host-192-168-204-51.openstacklocal,192.168.204.51');
  });

  it('an instance on the bridge gets exactly its port address, router, MTU and the metadata route', async () => {
    hostIp('link', 'set', 'tap971fda0d-ea', 'master', BRQ); // what the l2-agent does with the DHCP port's tap
    plugInstance(VM1);
    const t0 = performance.now();
    const got = await lease(VM1);
    figures['DHCP lease (udhcpc)'] = ms(t0);
    expect(got.ip).toBe('192.168.204.51');
    expect(got.subnet).toBe('255.255.255.0');
    expect(got.router).toBe('192.168.204.1');
    expect(got.dns).toBe('8.8.4.4 8.8.8.8');
    expect(got.mtu).toBe('1450');
    expect(got.domain).toBe('openstacklocal');
    expect(got.staticroutes).toBe('169.254.169.254/32 192.168.204.50 0.0.0.0/0 192.168.204.1');
    expect(got.serverid).toBe('192.168.204.50');
  });

  it('a second reconcile applies nothing and dnsmasq keeps its PID (also for the l2-agent having plugged the tap)', async () => {
    const r = await step('second reconcile (no change)');
    expect(r.changes).toEqual([]);
    expect(dnsmasqPid()).toBe(firstPid);
  });

  it('a new port is served after a SIGHUP: same PID, new host entry', async () => {
    feed(...myUserNetworkLog().filter((e) => e.aggregate.id === VM2));
    const r = await step('reconcile with a new port (SIGHUP)');
    expect(r.changes.map((c) => c.kind)).toEqual(['process.reload']);
    expect(dnsmasqPid()).toBe(firstPid);
    expect(alive(firstPid!)).toBe(true);
    plugInstance(VM2);
    expect((await lease(VM2)).ip).toBe('192.168.204.52');
  });

  it('a command-line change restarts dnsmasq in place (for comparison with the reload)', async () => {
    const r = await step('reconcile with a new lease time (restart)', { ...cfg, leaseSeconds: 600 });
    expect(r.changes.map((c) => c.kind)).toEqual(['process.restart']);
    const pid = dnsmasqPid();
    expect(pid).not.toBe(firstPid);
    expect(alive(firstPid!)).toBe(false);
    expect((await lease(VM1)).lease).toBe('600');
    expect((await step('back to the default lease')).changes.map((c) => c.kind)).toEqual(['process.restart']);
  });

  it('removing the network stops dnsmasq and removes the namespace and both veth ends; foreign taps stay', async () => {
    const pid = dnsmasqPid()!;
    feed(ev('network.deleted', 'network', NET, { network_id: NET }));
    const r = await step('reconcile after network deletion');
    expect(r.changes.map((c) => c.kind)).toEqual(['process.stop', 'netns.del']);
    expect(alive(pid)).toBe(false);
    expect(ours()).not.toContain(QDHCP);
    // the kernel destroys a namespace's devices (and the host ends of their veths) after `ip netns del` returns,
    // in its own time: the tap goes within moments (CI once listed it right after)
    const links = () => JSON.parse(hostIp('-j', 'link', 'show')).map((l: { ifname: string }) => l.ifname) as string[];
    for (let i = 0; i < 100 && links().includes(tapName(DHCP_PORT)); i++) await new Promise((r) => setTimeout(r, 20));
    const left = links();
    expect(left).not.toContain(tapName(DHCP_PORT));
    expect(left).toEqual(expect.arrayContaining([tapName(VM1), tapName(VM2), BRQ]));
    expect((await step('reconcile after deletion, again')).changes).toEqual([]);
  });
});
