import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { INTEGRATION_BRIDGE, PATCH_INT, PATCH_TUN, TUNNEL_BRIDGE, qvoName } from '@neutrino/naming';
import { OvsDaemons } from './daemons';
import { OvsDriver } from './driver';
import { parseFlow, type OfFlow } from './flows';
import type { DesiredBridge } from './topology';

// A host namespace with its own ovsdb-server and ovs-vswitchd (userspace datapath: the kernel
// here has no openvswitch module), br-int and br-tun joined by patch ports, and three "instance"
// namespaces on br-int by veth: vm1 and vm2 on local VLAN 1, vm3 on local VLAN 2.
const isRoot = process.getuid?.() === 0;
const hasOvs = spawnSync('sh', ['-c', 'command -v ovs-vswitchd || test -x /usr/sbin/ovs-vswitchd']).status === 0;
const P = `novs-${process.pid}`;
const HOST = `${P}-host`;
const VMS = [
  { ns: `${P}-vm1`, port: '11111111-aaaa-4000-8000-000000000001', ip: '10.61.0.1', tag: 1 },
  { ns: `${P}-vm2`, port: '22222222-aaaa-4000-8000-000000000002', ip: '10.61.0.2', tag: 1 },
  { ns: `${P}-vm3`, port: '33333333-aaaa-4000-8000-000000000003', ip: '10.61.0.3', tag: 2 },
];
const OWNER = 'ovs-int-test';
const COOKIE = '0x6e657574';

const sh = (...argv: string[]) => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8' });
const tryRun = (...argv: string[]) => spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' }).status === 0;
const ping = (from: string, to: string, count = 2) => tryRun('ip', 'netns', 'exec', from, 'ping', '-c', String(count), '-W', '3', to);
/** A live (not zombie) process. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
};
const f = (line: string): OfFlow => parseFlow(line);

const bridges = (): DesiredBridge[] => [
  {
    name: INTEGRATION_BRIDGE,
    datapathType: 'netdev',
    failMode: 'secure',
    ports: [{ name: PATCH_TUN, type: 'patch', options: { peer: PATCH_INT } }, ...VMS.map((v) => ({ name: qvoName(v.port), tag: v.tag, externalIds: { 'iface-id': v.port } }))],
  },
  { name: TUNNEL_BRIDGE, datapathType: 'netdev', failMode: 'secure', ports: [{ name: PATCH_INT, type: 'patch', options: { peer: PATCH_TUN } }] },
];
const flows = (): Record<string, OfFlow[]> => ({
  [INTEGRATION_BRIDGE]: [
    f(`cookie=${COOKIE},table=0,priority=2,in_port=${PATCH_TUN} actions=drop`),
    f(`cookie=${COOKIE},table=0,priority=1 actions=NORMAL`),
    f(`cookie=${COOKIE},table=23,priority=0 actions=drop`),
  ],
  [TUNNEL_BRIDGE]: [
    f(`cookie=${COOKIE},table=0,priority=1,in_port=${PATCH_INT} actions=resubmit(,2)`),
    f(`cookie=${COOKIE},table=0,priority=0 actions=drop`),
    f(`cookie=${COOKIE},table=2,priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,22)`),
    f(`cookie=${COOKIE},table=2,priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)`),
    f(`cookie=${COOKIE},table=20,priority=0 actions=resubmit(,22)`),
    f(`cookie=${COOKIE},table=22,priority=0 actions=drop`),
  ],
});
const OUR_FLOWS = Object.values(flows()).flat().length;

(isRoot && hasOvs ? describe : describe.skip)('Open vSwitch per host: daemons, bridges, flows by cookie (real OVS, netdev datapath)', () => {
  jest.setTimeout(60_000);
  let dir: string;
  let daemons: OvsDaemons;
  let driver: OvsDriver;
  const started: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/novs-');
    sh('ip', 'netns', 'add', HOST);
    for (const v of VMS) {
      const qvo = qvoName(v.port);
      sh('ip', 'netns', 'add', v.ns);
      sh('ip', 'link', 'add', qvo, 'netns', HOST, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', v.ns);
      sh('ip', '-n', HOST, 'link', 'set', qvo, 'up');
      sh('ip', '-n', v.ns, 'link', 'set', 'lo', 'up');
      sh('ip', '-n', v.ns, 'addr', 'add', `${v.ip}/24`, 'dev', 'eth0');
      sh('ip', '-n', v.ns, 'link', 'set', 'eth0', 'up');
    }
    daemons = new OvsDaemons({ runDir: join(dir, 'host'), netns: HOST });
    await daemons.start();
    const pids = await daemons.running();
    started.push(pids.ovsdbServer!, pids.ovsVswitchd!);
    driver = new OvsDriver({ runDir: daemons.runDir, owner: OWNER, cookie: COOKIE });
  });

  afterAll(async () => {
    try {
      await daemons?.stop();
    } catch {
      /* killed below */
    }
    // whatever still runs of what we started (pid files of restarts included), by pid
    for (const d of ['ovsdb-server', 'ovs-vswitchd'] as const) {
      try {
        const pid = Number(readFileSync(join(dir, 'host', `${d}.pid`), 'utf8').trim());
        if (pid && !started.includes(pid)) started.push(pid);
      } catch {
        /* no pid file */
      }
    }
    for (const pid of started) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const n of sh('ip', 'netns', 'list').split('\n').map((l) => l.split(' ')[0])) if (n.startsWith(`${P}-`)) tryRun('ip', 'netns', 'del', n);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs both daemons in the host namespace, from its own run directory', async () => {
    const { ovsdbServer, ovsVswitchd } = await daemons.running();
    expect(ovsdbServer).toBeGreaterThan(0);
    expect(ovsVswitchd).toBeGreaterThan(0);
    const inHost = sh('ip', 'netns', 'pids', HOST).split('\n').filter(Boolean).map(Number);
    expect(inHost).toEqual(expect.arrayContaining([ovsdbServer, ovsVswitchd]));
    expect(readFileSync(`/proc/${ovsVswitchd}/cmdline`, 'utf8').split('\0')).toContain(`unix:${join(dir, 'host', 'db.sock')}`);
  });

  it('a first reconcile creates br-int and br-tun (netdev, secure), the patch pair, tagged access ports and the flows', async () => {
    const r = await driver.reconcile(bridges(), flows());
    expect(r.flows.map((x) => x.add.length)).toEqual([3, 6]);
    const topo = await driver.observeTopology();
    expect(topo.bridges.map((b) => [b.name, b.datapathType, b.failMode, b.externalIds['neutrino-owner']])).toEqual([
      ['br-int', 'netdev', 'secure', OWNER],
      ['br-tun', 'netdev', 'secure', OWNER],
    ]);
    const brInt = topo.bridges[0];
    const port = (name: string) => brInt.ports.find((p) => p.name === name)!;
    expect(port(PATCH_TUN).interfaces[0]).toMatchObject({ type: 'patch', options: { peer: PATCH_INT } });
    expect(topo.bridges[1].ports.find((p) => p.name === PATCH_INT)!.interfaces[0]).toMatchObject({ type: 'patch', options: { peer: PATCH_TUN } });
    for (const v of VMS) expect(port(qvoName(v.port))).toMatchObject({ tag: v.tag, externalIds: { 'iface-id': v.port, 'neutrino-owner': OWNER } });
    for (const v of VMS) expect(port(qvoName(v.port)).interfaces[0].ofport).toBeGreaterThan(0);
    expect((await driver.dumpFlows(INTEGRATION_BRIDGE)).filter((x) => x.cookie === driver.cookie)).toHaveLength(3);
  });

  it('instances on the same local VLAN reach each other; another VLAN does not', () => {
    expect(ping(VMS[0].ns, VMS[1].ip)).toBe(true);
    expect(ping(VMS[1].ns, VMS[0].ip)).toBe(true);
    expect(ping(VMS[0].ns, VMS[2].ip, 1)).toBe(false);
  });

  it('a second reconcile of the same desired state applies nothing', async () => {
    const r = await driver.reconcile(bridges(), flows());
    expect(r).toMatchObject({ applied: 0, topology: [] });
  });

  it('a flow of another cookie survives; a flow of ours deleted by hand comes back', async () => {
    const brInt = driver.bridgeTarget(INTEGRATION_BRIDGE);
    sh('ovs-ofctl', 'add-flow', brInt, 'cookie=0x99,table=0,priority=50,ip,nw_dst=10.61.0.99 actions=drop');
    sh('ovs-ofctl', '--strict', 'del-flows', brInt, `cookie=${COOKIE}/-1,table=0,priority=1`);
    expect(ping(VMS[0].ns, VMS[1].ip, 1)).toBe(false);
    const r = await driver.reconcile(bridges(), flows());
    expect(r.applied).toBe(1);
    expect(r.flows[0].add).toEqual([f(`cookie=${COOKIE},priority=1 actions=NORMAL`)]);
    const installed = await driver.dumpFlows(INTEGRATION_BRIDGE);
    expect(installed).toContainEqual(f('cookie=0x99,priority=50,ip,nw_dst=10.61.0.99 actions=drop'));
    expect(ping(VMS[0].ns, VMS[1].ip)).toBe(true);
    expect((await driver.reconcile(bridges(), flows())).applied).toBe(0);
  });

  it('a port of ours nobody wants is removed, a port added by hand is left alone', async () => {
    await driver.vsctl(['add-port', INTEGRATION_BRIDGE, 'hand0', '--', 'set', 'Interface', 'hand0', 'type=internal']);
    const fewer = bridges();
    fewer[0].ports = fewer[0].ports.filter((p) => p.name !== qvoName(VMS[2].port));
    const r = await driver.reconcile(fewer, flows());
    expect(r.topology).toEqual([`del port br-int/${qvoName(VMS[2].port)}`]);
    const names = (await driver.observeTopology()).bridges[0].ports.map((p) => p.name);
    expect(names).toContain('hand0');
    expect(names).not.toContain(qvoName(VMS[2].port));
    expect((await driver.reconcile(bridges(), flows())).topology).toEqual([`add port br-int/${qvoName(VMS[2].port)}`]);
    expect((await driver.reconcile(bridges(), flows())).applied).toBe(0);
  });

  it('after a restart of ovs-vswitchd alone (flows lost), a reconcile restores everything', async () => {
    const before = await daemons.running();
    await daemons.restartVswitchd();
    const after = await daemons.running();
    started.push(after.ovsVswitchd!);
    expect(after.ovsdbServer).toBe(before.ovsdbServer);
    expect(after.ovsVswitchd).not.toBe(before.ovsVswitchd);
    expect(alive(before.ovsVswitchd!)).toBe(false);
    expect((await driver.dumpFlows(INTEGRATION_BRIDGE)).filter((x) => x.cookie === driver.cookie)).toEqual([]);
    const r = await driver.reconcile(bridges(), flows());
    expect(r.topology).toEqual([]);
    expect(r.applied).toBe(OUR_FLOWS);
    expect(ping(VMS[0].ns, VMS[1].ip)).toBe(true);
    expect(ping(VMS[0].ns, VMS[2].ip, 1)).toBe(false);
    expect((await driver.reconcile(bridges(), flows())).applied).toBe(0);
  });

  it('stop ends both daemons by pid and leaves no process in the host namespace', async () => {
    const pids = await daemons.running();
    await daemons.stop();
    expect(await daemons.running()).toEqual({ ovsdbServer: undefined, ovsVswitchd: undefined });
    expect(sh('ip', 'netns', 'pids', HOST).trim()).toBe('');
    for (const pid of [pids.ovsdbServer!, pids.ovsVswitchd!]) expect(alive(pid)).toBe(false);
  });
});
