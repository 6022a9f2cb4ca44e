import { diff, diffDetailed } from './diff';
import { MemoryDriver } from '../driver/memory/memory-driver';
import { reconcile } from '../reconcile';
import { hostState, mergeStates } from '../model/state';
import type { Scope } from '../driver/driver';
import { OWNERSHIP, hypervisorTaps, sampleHost } from '../__fixtures__/sample-host';
import { phaseOf } from './order';

const scope: Scope = { ownership: OWNERSHIP };

async function converged(ports: number) {
  const driver = new MemoryDriver(hypervisorTaps(ports));
  const desired = sampleHost(ports);
  const first = await reconcile(driver, desired, scope, { verify: true });
  return { driver, desired, first };
}

describe('diff on the memory driver', () => {
  it('applies a host from scratch without errors, and a second diff is empty', async () => {
    const { first, driver, desired } = await converged(3);
    expect(first.applied.errors).toEqual([]);
    expect(first.changes.length).toBeGreaterThan(20);
    expect(first.remaining).toEqual([]);
    expect((await reconcile(driver, desired, scope)).changes).toEqual([]);
  });

  it('finds nothing to do between a state and itself', async () => {
    const { driver, desired } = await converged(2);
    const observed = await driver.observe(scope);
    expect(diff(observed, observed)).toEqual([]);
    expect(diff(desired, desired).filter((c) => c.kind !== 'process.start')).toEqual([]);
  });

  it('orders changes by phase, and the same inputs give the same order', async () => {
    const a = diff(sampleHost(5), hostState());
    const b = diff(sampleHost(5), hostState());
    expect(a).toEqual(b);
    const phases = a.map(phaseOf);
    expect([...phases].sort((x, y) => x - y)).toEqual(phases);
    const shuffled = sampleHost(5);
    shuffled.links.reverse();
    shuffled.iptables[0].chains.reverse();
    expect(diff(shuffled, hostState())).toEqual(a);
  });

  it('deletes only owned objects when nothing is desired', async () => {
    const { driver } = await converged(2);
    driver.seed(
      hostState({
        links: [{ name: 'docker0', kind: 'bridge' }],
        iptables: [{ family: 'ipv4', table: 'filter', chains: [{ name: 'FORWARD', rules: ['-j DOCKER-USER'] }, { name: 'DOCKER-USER', rules: ['-j RETURN'] }] }],
        ipsets: [{ name: 'other', type: 'hash:ip', family: 'inet', members: ['1.2.3.4'] }],
      }),
    );
    const res = await reconcile(driver, hostState(), scope, { verify: true });
    expect(res.applied.errors).toEqual([]);
    expect(res.remaining).toEqual([]);
    const k = driver.kernel;
    expect([...k.links.keys()].sort()).toEqual(['/docker0', '/eth0', '/tap00000001-b1', '/tap00000002-b1']);
    expect(k.links.get('/tap00000001-b1')!.master).toBeNull(); // the bridge went away, the tap stayed
    const filter = k.tables.get('/ipv4/filter')!;
    expect([...filter.keys()].sort()).toEqual(['DOCKER-USER', 'FORWARD', 'INPUT', 'OUTPUT', 'neutron-filter-top']);
    expect(filter.get('FORWARD')).toEqual(['-j DOCKER-USER']);
    expect([...k.ipsets.keys()]).toEqual(['/other']);
    expect(k.processes.size).toBe(0);
    expect([...k.namespaces]).toEqual(['']);
  });

  it('repairs a rule added to one of our chains and leaves a foreign rule alone', async () => {
    const { driver, desired } = await converged(2);
    const filter = () => driver.kernel.tables.get('/ipv4/filter')!;
    filter().get('neutron-linuxbri-sg-chain')!.unshift('-j DROP');
    filter().get('FORWARD')!.unshift('-j DROP'); // another program's rule
    filter().get('FORWARD')!.splice(1, 1); // one of our hooks goes missing
    const res = await reconcile(driver, desired, scope, { verify: true });
    expect(res.changes.map((c) => `${c.kind} ${'chain' in c ? c.chain : ''}`)).toEqual(['hook.set FORWARD', 'chain.set neutron-linuxbri-sg-chain']);
    expect(res.remaining).toEqual([]);
    expect(filter().get('neutron-linuxbri-sg-chain')![0]).not.toBe('-j DROP');
    expect(filter().get('FORWARD')).toEqual(['-j neutron-filter-top', '-j neutron-linuxbri-FORWARD', '-j DROP']);
  });

  it('recreates a device whose creation attributes changed, and what hung off it', async () => {
    const { driver, desired } = await converged(1);
    const next = structuredClone(desired);
    next.links.find((l) => l.name === 'vxlan-48')!.vxlan!.dstport = 8472;
    const res = await reconcile(driver, next, scope, { verify: true });
    expect(res.applied.errors).toEqual([]);
    expect(res.changes.map((c) => c.kind)).toEqual(['link.del', 'link.add', 'link.set', 'fdb.add', 'fdb.add', 'fdb.add']);
    expect(res.remaining).toEqual([]);
  });

  it('reports a missing external device instead of creating it', () => {
    const r = diffDetailed(sampleHost(1), hostState());
    expect(r.unresolved.map((u) => u.key)).toEqual(['/tap00000001-b1']); // the new namespace's lo exists from the start
  });

  it('merges per-port parts into one state', () => {
    const merged = mergeStates(sampleHost(1), sampleHost(1));
    expect(merged.iptables).toHaveLength(1);
    expect(merged.iptables[0].chains.find((c) => c.name === 'FORWARD')!.rules).toHaveLength(4);
  });
});
