import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { LinuxDriver } from './linux-driver';
import { reconcile } from '../../reconcile';
import { InstalledState } from '../../installed';
import { diff } from '../../diff/diff';
import { hostState } from '../../model/state';
import type { HostState } from '../../model/types';
import type { Scope } from '../driver';

const isRoot = process.getuid?.() === 0;
const P = `ntest-${process.pid}`;
const HOST = `${P}-host`;
const QDHCP = `${P}-qdhcp-net1`;
const C = 'neutron-linuxbri-';
const SET = 'NIPv4test0000';

const sh = (...argv: string[]) => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8' });
const inHost = (...argv: string[]) => sh('ip', 'netns', 'exec', HOST, ...argv);
const tryRun = (...argv: string[]) => {
  try {
    sh(...argv);
  } catch {
    /* cleanup is best effort */
  }
};

const scope: Scope = {
  ownership: { netnsPrefixes: [`${P}-qdhcp-`], linkPrefixes: ['brq', 'vxlan-', 'ns-', 'tapd'], chainPrefixes: [C], sharedChains: ['neutron-filter-top'], ipsetPrefixes: ['NIPv4'] },
};

function desiredState(stateDir: string, sleepFor = '1000', hostFile = 'one\n'): HostState {
  return hostState({
    namespaces: [{ name: QDHCP }],
    sysctls: [{ key: 'net.ipv4.ip_forward', value: '1' }],
    links: [
      { name: 'lo', kind: 'external', up: true },
      { netns: QDHCP, name: 'lo', kind: 'external', up: true },
      { name: 'brqtest', kind: 'bridge', mtu: 1450, addresses: ['10.77.0.1/24'] },
      { name: 'tapdul0', kind: 'veth', peer: { name: 'ns-ul0', netns: QDHCP }, addresses: ['172.31.0.1/24'] },
      { netns: QDHCP, name: 'ns-ul0', kind: 'veth', peer: { name: 'tapdul0' }, addresses: ['172.31.0.2/24'] },
      { name: 'vxlan-4242', kind: 'vxlan', vxlan: { vni: 4242, local: '172.31.0.1', dev: 'tapdul0', dstport: 4789, learning: false }, master: 'brqtest', mtu: 1450 },
      { name: 'tapd0000-01', kind: 'veth', peer: { name: 'ns-d0000-01', netns: QDHCP }, master: 'brqtest' },
      { netns: QDHCP, name: 'ns-d0000-01', kind: 'veth', peer: { name: 'tapd0000-01' }, mac: 'fa:16:3e:00:00:01', mtu: 1450, addresses: ['10.77.0.2/24', '2001:db8:77::2/64'] },
    ],
    fdb: [
      { dev: 'vxlan-4242', mac: '00:00:00:00:00:00', dst: '172.31.0.2' },
      { dev: 'vxlan-4242', mac: 'fa:16:3e:aa:bb:cc', dst: '172.31.0.2' },
    ],
    routes: [
      { netns: QDHCP, dst: 'default', via: '10.77.0.1' },
      { netns: QDHCP, dst: '2001:db8:99::/48', via: '2001:db8:77::1' },
      { dst: '10.99.0.0/16', via: '172.31.0.2', dev: 'tapdul0' },
    ],
    ipsets: [{ name: SET, type: 'hash:net', family: 'inet', members: ['10.77.0.5', '10.78.0.0/24'] }],
    iptables: [
      {
        family: 'ipv4',
        table: 'filter',
        chains: [
          { name: 'FORWARD', rules: ['-j neutron-filter-top', `-j ${C}FORWARD`] },
          { name: 'neutron-filter-top', rules: [`-j ${C}local`], shared: true },
          { name: `${C}local`, rules: [] },
          { name: `${C}FORWARD`, rules: [`-m physdev --physdev-out tapd0000-01 --physdev-is-bridged -j ${C}sg-chain`] },
          { name: `${C}sg-chain`, rules: [`-m physdev --physdev-out tapd0000-01 --physdev-is-bridged -j ${C}id0000-01`, '-j ACCEPT'] },
          { name: `${C}id0000-01`, rules: [
            '-m state --state RELATED,ESTABLISHED -j RETURN',
            `-p tcp -m tcp --dport 22 -m set --match-set ${SET} src -j RETURN`,
            '-s 10.77.0.9/32 -m mac --mac-source FA:16:3E:A4:C3:F9 -j RETURN',
            '-m comment --comment "Send unmatched traffic to the fallback chain." -j DROP',
          ] },
        ],
      },
      { family: 'ipv6', table: 'filter', chains: [{ name: 'FORWARD', rules: [`-j ${C}FORWARD`] }, { name: `${C}FORWARD`, rules: ['-p ipv6-icmp -m icmp6 --icmpv6-type 130 -j RETURN'] }] },
    ],
    processes: [
      {
        id: 'dummy-net1',
        netns: QDHCP,
        argv: ['sleep', sleepFor],
        pidFile: join(stateDir, 'run', 'dummy.pid'),
        files: [{ path: join(stateDir, 'run', 'host'), content: hostFile }],
        reloadSignal: 'SIGCONT', // sleep would die of SIGHUP; CONT is harmless
      },
    ],
  });
}

(isRoot ? describe : describe.skip)('linux driver on the real kernel (needs root: skipped when not root)', () => {
  let stateDir: string;
  let driver: LinuxDriver;
  const pids = new Set<number>();

  const notePids = () => {
    for (const f of readdirSync(join(stateDir, 'run'), { withFileTypes: true })) {
      if (f.name.endsWith('.pid')) pids.add(Number(readFileSync(join(stateDir, 'run', f.name), 'utf8')));
    }
  };

  beforeAll(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'dataplane-int-'));
    sh('ip', 'netns', 'add', HOST);
    driver = new LinuxDriver({ hostNetns: HOST, stateDir: join(stateDir, 'records') });
  });

  afterAll(() => {
    try {
      notePids();
    } catch {
      /* no run dir */
    }
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    for (const n of sh('ip', 'netns', 'list').split('\n').map((l) => l.split(' ')[0])) {
      if (n.startsWith(`${P}-`)) tryRun('ip', 'netns', 'del', n);
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('builds a host from nothing and then finds zero changes', async () => {
    const desired = desiredState(stateDir);
    const first = await reconcile(driver, desired, scope, { verify: true });
    notePids();
    expect(first.applied.errors).toEqual([]);
    expect(first.unresolved).toEqual([]);
    expect(first.remaining).toEqual([]);
    expect((await reconcile(driver, desired, scope)).changes).toEqual([]);

    expect(inHost('ip', '-d', 'link', 'show', 'vxlan-4242')).toMatch(/vxlan id 4242 local 172\.31\.0\.1 dev tapdul0 .*dstport 4789 nolearning/);
    expect(inHost('ip', 'link', 'show', 'tapd0000-01')).toMatch(/master brqtest/);
    expect(sh('ip', '-n', QDHCP, 'addr', 'show', 'ns-d0000-01')).toMatch(/inet 10\.77\.0\.2\/24 brd 10\.77\.0\.255/);
    expect(sh('ip', '-n', QDHCP, 'route', 'show', 'default')).toMatch(/default via 10\.77\.0\.1/);
    expect(sh('ip', '-n', QDHCP, '-6', 'route', 'show', '2001:db8:99::/48')).toMatch(/via 2001:db8:77::1 dev ns-d0000-01 proto static/);
    expect(inHost('bridge', 'fdb', 'show', 'dev', 'vxlan-4242')).toMatch(/00:00:00:00:00:00 dst 172\.31\.0\.2/);
    expect(inHost('ipset', 'list', SET)).toMatch(/10\.78\.0\.0\/24/);
    expect(inHost('sysctl', '-n', 'net.ipv4.ip_forward').trim()).toBe('1');
    const saved = inHost('iptables-save', '-t', 'filter');
    expect(saved).toMatch(/-A FORWARD -j neutron-filter-top\n-A FORWARD -j neutron-linuxbri-FORWARD\n/);
    expect(inHost('ip6tables-save', '-t', 'filter')).toMatch(/-A neutron-linuxbri-FORWARD -p ipv6-icmp/);
    // the root namespace was never touched
    expect(sh('ip', 'link', 'show')).not.toMatch(/brqtest|tapd0000/);
  });

  it('repairs a rule added by hand to one of our chains and leaves another program\'s chain and rule alone', async () => {
    const desired = desiredState(stateDir);
    inHost('iptables', '-w', '-I', `${C}sg-chain`, '1', '-j', 'DROP');
    inHost('iptables', '-w', '-N', 'other-prog');
    inHost('iptables', '-w', '-A', 'other-prog', '-s', '192.0.2.1/32', '-j', 'DROP');
    inHost('iptables', '-w', '-I', 'FORWARD', '1', '-j', 'other-prog');
    inHost('ip', 'link', 'add', 'otherbr', 'type', 'bridge');
    const res = await reconcile(driver, desired, scope, { verify: true });
    expect(res.changes.map((c) => c.kind)).toEqual(['chain.set']);
    expect(res.applied.errors).toEqual([]);
    expect(res.remaining).toEqual([]);
    const saved = inHost('iptables-save', '-t', 'filter');
    expect(saved).not.toMatch(/-A neutron-linuxbri-sg-chain -j DROP/);
    expect(saved).toMatch(/-A FORWARD -j other-prog/);
    expect(saved).toMatch(/-A other-prog -s 192\.0\.2\.1\/32 -j DROP/);
  });

  it('updates sets, reloads a process on a file change and restarts it on an argv change', async () => {
    const before = Number(readFileSync(join(stateDir, 'run', 'dummy.pid'), 'utf8'));
    const reload = await reconcile(driver, desiredState(stateDir, '1000', 'two\n'), scope, { verify: true });
    expect(reload.changes.map((c) => c.kind)).toEqual(['process.reload']);
    expect(reload.remaining).toEqual([]);
    expect(readFileSync(join(stateDir, 'run', 'host'), 'utf8')).toBe('two\n');
    expect(Number(readFileSync(join(stateDir, 'run', 'dummy.pid'), 'utf8'))).toBe(before);

    const next = desiredState(stateDir, '1001', 'two\n');
    next.ipsets[0].members = Array.from({ length: 300 }, (_, i) => `10.80.${i >> 8}.${i & 0xff}`);
    const res = await reconcile(driver, next, scope, { verify: true });
    notePids();
    expect(res.changes.map((c) => c.kind)).toEqual(['ipset.swap', 'process.restart']);
    expect(res.applied.errors).toEqual([]);
    expect(res.remaining).toEqual([]);
    expect(Number(readFileSync(join(stateDir, 'run', 'dummy.pid'), 'utf8'))).not.toBe(before);
    expect(inHost('ipset', 'list', SET)).toMatch(/Number of entries: 300/);
  });

  it('diffs an event against what it installed without reading the host; drift made by hand waits for the resync, which repairs it', async () => {
    const make = (mtu: number) => {
      const d = desiredState(stateDir, '1001', 'two\n');
      d.ipsets[0].members = Array.from({ length: 300 }, (_, i) => `10.80.${i >> 8}.${i & 0xff}`);
      d.links.find((l) => l.name === 'brqtest')!.mtu = mtu;
      return d;
    };
    const installed = new InstalledState();
    const start = await reconcile(driver, make(1450), scope, { installed });
    expect(start.observed).toBe(true);
    expect(start.applied.errors).toEqual([]);

    // a desired state is a new value each time (objects are compared by value, and by identity first: never mutate one after a reconcile)
    const desired = make(1400);
    const event = await reconcile(driver, desired, scope, { installed, verify: true });
    expect(event.observed).toBe(false);
    expect(event.scoped).toBeGreaterThan(0);
    expect(event.changes).toEqual([{ kind: 'link.set', netns: '', name: 'brqtest', mtu: 1400 }]);
    expect(event.remaining).toEqual([]);
    expect(inHost('ip', 'link', 'show', 'brqtest')).toMatch(/mtu 1400/);

    inHost('ip', 'link', 'set', 'brqtest', 'mtu', '1300');
    inHost('iptables', '-w', '-I', `${C}sg-chain`, '1', '-j', 'DROP');
    expect((await reconcile(driver, desired, scope, { installed })).changes).toEqual([]);
    const resync = await reconcile(driver, desired, scope, { installed, observe: true, verify: true });
    expect(resync.observed).toBe(true);
    expect(resync.changes.map((c) => c.kind).sort()).toEqual(['chain.set', 'link.set']);
    expect(resync.remaining).toEqual([]);
    expect(inHost('ip', 'link', 'show', 'brqtest')).toMatch(/mtu 1400/);
    expect(inHost('iptables-save', '-t', 'filter')).not.toMatch(/-A neutron-linuxbri-sg-chain -j DROP/);
  });

  it('removes every object of ours when nothing is desired, and keeps the others\'', async () => {
    const observedBefore = await driver.observe(scope);
    const pid = observedBefore.processes[0].pid!;
    const res = await reconcile(driver, hostState(), scope, { verify: true });
    expect(res.applied.errors).toEqual([]);
    expect(res.remaining).toEqual([]);
    expect(sh('ip', 'netns', 'list')).not.toMatch(QDHCP);
    const links = inHost('ip', '-o', 'link', 'show');
    expect(links).not.toMatch(/brqtest|vxlan-4242|tapd/);
    expect(links).toMatch(/otherbr/);
    const saved = inHost('iptables-save', '-t', 'filter');
    expect(saved).not.toMatch(/neutron-linuxbri/);
    expect(saved).toMatch(/:neutron-filter-top/); // shared: never deleted
    expect(saved).toMatch(/-A FORWARD -j other-prog/);
    expect(inHost('ip6tables-save', '-t', 'filter')).not.toMatch(/neutron-linuxbri/);
    expect(inHost('ipset', 'list', '-n')).not.toMatch(SET);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(readdirSync(join(stateDir, 'records'))).toEqual([]);
    expect(diff(hostState(), await driver.observe(scope))).toEqual([]);
  });

  it('identifies the host by its boot and its namespaces: the same until one of ours is made, removed or replaced', async () => {
    const ns = `${P}-qdhcp-ident`;
    const before = await driver.identity(scope);
    expect(before).toBeDefined();
    expect(await driver.identity(scope)).toBe(before);
    sh('ip', 'netns', 'add', ns);
    const made = await driver.identity(scope);
    expect(made).not.toBe(before);
    sh('ip', 'netns', 'del', ns);
    sh('ip', 'netns', 'add', ns);
    const replaced = await driver.identity(scope);
    expect(replaced).not.toBe(made);
    sh('ip', 'netns', 'del', ns);
    expect(await driver.identity(scope)).toBe(before);
  });

  describe('the link monitor', () => {
    /** The processes inside the host namespace (the monitor is the only one these tests start there). */
    const inHostNs = () => sh('ip', 'netns', 'pids', HOST).split('\n').filter(Boolean).map(Number);
    const until = async (what: string, ok: () => boolean) => {
      for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 100));
      if (!ok()) throw new Error(`timed out waiting for ${what}`);
    };

    it('tells of a link made in the namespace, and leaves no process once stopped', async () => {
      expect(inHostNs()).toEqual([]);
      let seen = 0;
      const stop = driver.watchLinks(() => seen++);
      await until('the monitor', () => inHostNs().length === 1);
      inHost('ip', 'link', 'add', 'tapmon0', 'type', 'veth', 'peer', 'name', 'tapmon1');
      await until('a link event', () => seen > 0);
      inHost('ip', 'link', 'del', 'tapmon0');
      stop();
      await until('the monitor to end', () => inHostNs().length === 0);
    }, 30_000);

    it('ends when the process that started it is SIGKILLed', async () => {
      const child = spawn(process.execPath, ['-r', join(__dirname, '../../../../testbed/test/ts-register.js'), join(__dirname, '../../../test/link-monitor-child.ts'), HOST, join(stateDir, 'child')], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        await new Promise<void>((resolve, reject) => {
          child.stdout!.on('data', (d: Buffer) => d.toString().includes('READY') && resolve());
          child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
        });
        await until('the child\'s monitor', () => inHostNs().length === 1);
        const monitor = inHostNs()[0];
        process.kill(child.pid!, 'SIGKILL');
        await until('the orphaned monitor to end', () => inHostNs().length === 0);
        expect(() => process.kill(monitor, 0)).toThrow();
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        for (const pid of inHostNs()) process.kill(pid, 'SIGKILL');
      }
    }, 30_000);
  });
});
