/**
 * Figures, not a test: run with
 *   npx jest -c libs/dataplane/jest.config.js --testMatch '**\/bench/*.bench.ts'
 * The linux part needs root and works only inside a namespace it creates.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryDriver } from '../src/driver/memory/memory-driver';
import { LinuxDriver } from '../src/driver/linux/linux-driver';
import { reconcile } from '../src/reconcile';
import { diff } from '../src/diff/diff';
import { OWNERSHIP, hypervisorTaps, sampleHost } from '../src/__fixtures__/sample-host';
import type { HostState } from '../src/model/types';

const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;
const counts = (s: HostState) => {
  const chains = s.iptables.flatMap((t) => t.chains);
  return `${s.links.length} links, ${chains.length} chains, ${chains.reduce((a, c) => a + c.rules.length, 0)} rules`;
};
const lines: string[] = [];
const say = (l: string) => lines.push(l);

afterAll(() => process.stdout.write(`\n${lines.join('\n')}\n`));

it('memory driver, 2,000 ports', async () => {
  const ports = 2000;
  const desired = sampleHost(ports);
  const driver = new MemoryDriver(hypervisorTaps(ports));
  const scope = { ownership: OWNERSHIP };
  let t = performance.now();
  const first = await reconcile(driver, desired, scope);
  say(`memory ${ports} ports (${counts(desired)}): first reconcile ${first.changes.length} changes in ${ms(t)} (${first.applied.errors.length} errors)`);
  t = performance.now();
  const observed = await driver.observe(scope);
  say(`memory ${ports} ports: observe ${ms(t)}`);
  t = performance.now();
  const none = diff(desired, observed);
  say(`memory ${ports} ports: diff ${ms(t)} → ${none.length} changes`);
  t = performance.now();
  const again = await reconcile(driver, desired, scope);
  say(`memory ${ports} ports: restart-style reconcile (observe+diff) ${ms(t)} → ${again.changes.length} changes`);
});

const isRoot = process.getuid?.() === 0;
(isRoot ? it : it.skip)('linux driver, a few hundred ports of chains in a test namespace (root only)', async () => {
  const host = `nbench-${process.pid}`;
  const prefix = `${host}-q-`;
  const stateDir = mkdtempSync(join(tmpdir(), 'dataplane-bench-'));
  execFileSync('ip', ['netns', 'add', host]);
  try {
    for (const ports of [100, 300, 2000]) {
      const desired = sampleHost(ports, { netnsPrefix: prefix });
      desired.links = desired.links.filter((l) => l.kind !== 'external' && l.kind !== 'vxlan');
      desired.fdb = [];
      desired.processes = [];
      const driver = new LinuxDriver({ hostNetns: host, stateDir });
      const scope = { ownership: { ...OWNERSHIP, netnsPrefixes: [prefix] } };
      let t = performance.now();
      const first = await reconcile(driver, desired, scope);
      say(`linux ${ports} ports (${counts(desired)}): first reconcile ${first.changes.length} changes in ${ms(t)} (${first.applied.errors.length} errors)`);
      t = performance.now();
      const again = await reconcile(driver, desired, scope);
      say(`linux ${ports} ports: second reconcile (observe+diff) ${ms(t)} → ${again.changes.length} changes`);
      t = performance.now();
      const gone = await reconcile(driver, { ...desired, namespaces: [], links: [], routes: [], iptables: [], ipsets: [] }, scope);
      say(`linux ${ports} ports: teardown ${gone.changes.length} changes in ${ms(t)} (${gone.applied.errors.length} errors)`);
    }
  } finally {
    for (const n of execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0])) {
      if (n.startsWith(host)) execFileSync('ip', ['netns', 'del', n]);
    }
    rmSync(stateDir, { recursive: true, force: true });
  }
}, 120_000);
