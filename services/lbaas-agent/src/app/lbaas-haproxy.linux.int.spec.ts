import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LinuxDriver, reconcile, type HostState, type Scope } from '@neutrino/dataplane';
import { LB_ID, MEMBER_IDS, VIP_PORT_ID, listener, member, monitor, pool, specTree } from '../__fixtures__/tree';
import { renderHaproxyConfig } from '../desired/haproxy-config';
import { CheckedConfigs, lbaasDesired, type LbaasDesiredSettings } from '../desired/lbaas-desired';
import { LbaasView } from '../view/lbaas-view';
import { haproxyCheck } from './haproxy-check';
import { memberHealth, parseShowStat, showStat } from './haproxy-stats';
import { removeStoppedDirs } from './lbaas-agent';
import { lbaasOwnership } from './lbaas-ownership';

const isRoot = process.getuid?.() === 0;
const hasHaproxy = (() => {
  try {
    execFileSync('haproxy', ['-v']);
    return true;
  } catch {
    return false;
  }
})();
const P = `ntlb-${process.pid}-`;
const HOST = `${P}host`;
const sh = (...argv: string[]) => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** a live process (a zombie nobody reaped is not: the container's init may leave them) */
const alive = (pid: number) => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

/** Two HTTP servers on the host side (10.30.0.1:8081 answers a, :8082 b), and a client that keeps one connection open. */
const SERVERS = `const http=require('http');let up=0;for(const [p,n] of [[8081,'a'],[8082,'b']])http.createServer((q,s)=>s.end(n)).listen(p,'10.30.0.1',()=>{if(++up===2)console.log('listening');});`;
const CLIENT = `const net=require('net');const s=net.connect(80,'10.30.0.9');let buf='';s.on('data',d=>{buf+=d;const m=/\\r\\n\\r\\n([ab])/.exec(buf);if(m){console.log(m[1]);buf='';}});s.on('close',()=>console.log('closed'));
require('readline').createInterface({input:process.stdin}).on('line',()=>s.write('GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'));s.on('connect',()=>console.log('connected'));`;

(isRoot && hasHaproxy ? describe : describe.skip)('HAProxy in a qlbaas- namespace on the real kernel (needs root and haproxy)', () => {
  let dir: string;
  let driver: LinuxDriver;
  let cfg: LbaasDesiredSettings;
  const pids = new Set<number>();
  const children: ChildProcessWithoutNullStreams[] = [];
  const scope: Scope = { ownership: lbaasOwnership(P) };
  const checked = new CheckedConfigs(haproxyCheck('haproxy'));

  const view = (tree = specTree()) => {
    const v = new LbaasView('network1');
    v.trees.set(LB_ID, tree);
    v.ports.set(VIP_PORT_ID, { id: VIP_PORT_ID, mac_address: 'fa:16:3e:00:00:09', network_id: 'net-1', device_owner: 'neutron:LOADBALANCERV2', fixed_ips: [] } as never);
    v.subnets.set('subnet-1', { id: 'subnet-1', cidr: '10.30.0.0/24', gateway_ip: '10.30.0.1', ip_version: 4, network_id: 'net-1' } as never);
    return v;
  };
  const members = (ports: number[]) => ports.map((p, i) => member(MEMBER_IDS[i], '10.30.0.1', { protocol_port: p }));
  const tree = (ports: number[], version: number) =>
    // TCP: an HTTP keep-alive connection that is idle at the reload is closed by the old worker (HAProxy's soft stop); a TCP one is finished
    specTree({ listeners: [listener({ protocol: 'TCP' })], pools: [pool({ protocol: 'TCP' })], members: members(ports), healthmonitors: [monitor({ delay: 1, timeout: 1 })], loadbalancer: { ...specTree().loadbalancer, config_version: version } });
  const desired = (t: ReturnType<typeof specTree>): HostState => lbaasDesired(view(t), cfg, checked).state;
  const masterPid = () => Number(readFileSync(join(cfg.confRoot, LB_ID, 'pid'), 'utf8'));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lbaas-int-'));
    cfg = { netnsPrefix: P, confRoot: join(dir, 'lbaas', 'v2'), haproxyBin: 'haproxy', userGroup: 'nogroup' };
    sh('ip', 'netns', 'add', HOST);
    sh('ip', '-n', HOST, 'link', 'set', 'lo', 'up');
    driver = new LinuxDriver({ hostNetns: HOST, stateDir: join(dir, 'records') });
  });

  afterAll(() => {
    for (const c of children) if (c.pid) pids.add(c.pid);
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    for (const n of sh('ip', 'netns', 'list').split('\n').map((l) => l.split(' ')[0])) if (n.startsWith(P)) execFileSync('ip', ['netns', 'del', n]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('haproxy -c accepts every rendered variant', () => {
    const check = haproxyCheck('haproxy');
    const d = { dir: '/tmp/x', userGroup: 'nogroup' };
    const variants = [
      specTree(),
      specTree({ pools: [pool({ lb_algorithm: 'LEAST_CONNECTIONS', session_persistence: { type: 'HTTP_COOKIE', cookie_name: null } })] }),
      specTree({ pools: [pool({ lb_algorithm: 'SOURCE_IP', session_persistence: { type: 'SOURCE_IP', cookie_name: null } })] }),
      specTree({ pools: [pool({ session_persistence: { type: 'APP_COOKIE', cookie_name: 'JSESSIONID' } })], healthmonitors: [monitor({ type: 'HTTP', expected_codes: '200-204', url_path: '/health' })] }),
      specTree({ listeners: [listener({ protocol: 'TCP', connection_limit: 10, timeout_client_data: 1000 })], pools: [pool({ protocol: 'TCP' })], healthmonitors: [monitor({ type: 'HTTPS', max_retries: 4 })] }),
      specTree({ members: [member('m1', '10.0.0.1', { backup: true })] }),
    ];
    for (const t of variants) expect(check(renderHaproxyConfig(t, d), d.dir)).toBeNull();
    expect(check('frontend x\n  bind 1.2.3.4:80\n  nonsense here\n', d.dir)).toMatch(/haproxy refused/);
  });

  it('starts in the namespace, reloads on a changed pool with a held-open connection answered, and tears down', async () => {
    const s0 = performance.now();
    const first = await reconcile(driver, desired(tree([8081, 8082], 1)), scope);
    console.log(`namespace, veth, route and HAProxy from nothing: ${Math.round(performance.now() - s0)} ms (${first.changes.length} changes)`);
    expect(first.applied.errors).toEqual([]);
    const master = masterPid();
    pids.add(master);
    expect(alive(master)).toBe(true);
    sh('ip', '-n', HOST, 'addr', 'add', '10.30.0.1/24', 'dev', 'tap5e234421-01');
    const servers = spawn('ip', ['netns', 'exec', HOST, process.execPath, '-e', SERVERS]);
    children.push(servers);
    // HAProxy starts its servers UP before their first check: the test's client must not reach them before they listen
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: servers.stdout }).on('line', (l) => l === 'listening' && resolve());
      servers.once('exit', (code) => reject(new Error(`the member servers exited (${code})`)));
    });
    // the servers listen, the checks (every 1 s, rise 2) see them UP
    let health = {};
    for (let i = 0; i < 40; i++) {
      health = memberHealth(parseShowStat(await showStat(join(cfg.confRoot, LB_ID, 'sock'))));
      if (Object.values(health).filter((h) => h === 'ONLINE').length === 2) break;
      await sleep(250);
    }
    expect(health).toEqual({ [MEMBER_IDS[0]]: 'ONLINE', [MEMBER_IDS[1]]: 'ONLINE' });

    const client = spawn('ip', ['netns', 'exec', HOST, process.execPath, '-e', CLIENT]);
    children.push(client);
    const lines: string[] = [];
    createInterface({ input: client.stdout }).on('line', (l) => lines.push(l));
    const next = async (n: number) => {
      for (let i = 0; i < 100 && lines.length < n; i++) await sleep(50);
      return lines[n - 1];
    };
    expect(await next(1)).toBe('connected');
    client.stdin.write('go\n');
    expect(['a', 'b']).toContain(await next(2));

    const t0 = performance.now();
    const second = await reconcile(driver, desired(tree([8081], 2)), scope);
    const reloadMs = Math.round(performance.now() - t0);
    expect(second.changes.map((c) => c.kind)).toEqual(['process.reload']);
    expect(second.applied.errors).toEqual([]);
    await sleep(500);
    expect(masterPid()).toBe(master);
    // the connection opened before the reload is still served (by the old worker, which finishes it)
    client.stdin.write('go\n');
    expect(['a', 'b']).toContain(await next(3));
    console.log(`HAProxy reload (write, signal) in the reconcile: ${reloadMs} ms; held-open connection answered after it`);
    expect(readFileSync(join(cfg.confRoot, LB_ID, 'haproxy.conf'), 'utf8')).not.toContain(MEMBER_IDS[1]);
    // an agent that starts again reads the host in full (a fresh driver, no installed state): nothing to change, same master
    const again = await reconcile(new LinuxDriver({ hostNetns: HOST, stateDir: join(dir, 'records') }), desired(tree([8081], 2)), scope, { observe: true });
    expect(again.changes).toEqual([]);
    expect(masterPid()).toBe(master);

    // reloads back to back (each reconcile right after the last): every one takes effect — the workers that answer the
    // stats socket serve exactly the members of the last config (a lost signal is sent again, not reported as applied)
    for (let i = 0; i < 6; i++) {
      const ports = i % 2 ? [8081] : [8081, 8082];
      const r = await reconcile(driver, desired(tree(ports, 3 + i)), scope);
      expect(r.applied.errors).toEqual([]);
      const served = Object.keys(memberHealth(parseShowStat(await showStat(join(cfg.confRoot, LB_ID, 'sock'))))).sort();
      expect(served).toEqual(MEMBER_IDS.slice(0, ports.length).sort());
    }

    const last = await reconcile(driver, { namespaces: [], links: [], fdb: [], routes: [], sysctls: [], iptables: [], ipsets: [], processes: [] }, scope, { observe: true });
    expect(last.applied.errors).toEqual([]);
    await removeStoppedDirs(last, cfg.confRoot);
    await sleep(300);
    expect(alive(master)).toBe(false);
    expect(sh('ip', 'netns', 'list')).not.toContain(`${P}qlbaas-`);
    expect(existsSync(join(cfg.confRoot, LB_ID))).toBe(false);
  }, 30_000);
});
