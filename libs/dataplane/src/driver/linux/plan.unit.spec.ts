import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planLinux, type CommandStep } from './plan';
import { LinuxDriver } from './linux-driver';
import { diff } from '../../diff/diff';
import { hostState } from '../../model/state';
import { sampleHost } from '../../__fixtures__/sample-host';
import type { Exec } from './exec';
import { NS_READS } from './observe';

describe('linux plan (no root)', () => {
  it('batches per stage: one ip -batch per namespace, one restore per namespace and table, processes one by one', () => {
    const stages = planLinux(diff(sampleHost(2), hostState()), { hostNetns: 'compute1' });
    const summary = stages.map((s) => s.map((st) => (st.type === 'process' ? `process ${st.changes[0].kind}` : st.argv.slice(0, 6).join(' '))));
    const q = 't-qdhcp-34265955-56be-4486-853d-2f0ed5cebb44';
    expect(summary).toEqual([
      ['ip -force -batch -'],
      ['ip -n compute1 -force -batch -'],
      ['ip -n compute1 -force -batch -', `ip -n ${q} -force -batch -`, 'bridge -n compute1 -force -batch -', 'ip netns exec compute1 sysctl -q'],
      ['ip netns exec compute1 ipset -exist'],
      ['ip netns exec compute1 iptables-restore -w'],
      ['process process.start'],
    ]);
    const restore = stages[4][0] as CommandStep;
    expect(restore.argv).toEqual(['ip', 'netns', 'exec', 'compute1', 'iptables-restore', '-w', '--noflush']);
    expect(restore.input).toMatch(/^\*filter\n:neutron-filter-top - \[0:0\]\n/);
  });

  it('maps a failed ip -batch line back to its change', async () => {
    const changes = diff(hostState({ links: [{ name: 'brqa', kind: 'bridge' }, { name: 'brqb', kind: 'bridge' }] }), hostState());
    const exec: Exec = async (_argv, input) =>
      input?.includes('link add brqb') ? { code: 1, stdout: '', stderr: 'RTNETLINK answers: File exists\nCommand failed -:2\n' } : { code: 0, stdout: '', stderr: '' };
    const res = await new LinuxDriver({ stateDir: '/nonexistent', exec }).apply(changes);
    expect(res.failed).toBe(1);
    expect(res.errors[0].changes).toEqual([{ kind: 'link.add', link: { name: 'brqb', kind: 'bridge', netns: '' } }]);
  });

  it('observes through the tools and names veth peers across namespaces', async () => {
    const fx = (n: string) => readFileSync(join(__dirname, '../../parse/__fixtures__', n), 'utf8');
    // each namespace's reads as the tools would print them (the driver reads them in one batched sh per batch of namespaces)
    const answer = (ns: string, a: string) => {
      const peer = ns === 'nprobe2';
      return a.includes('-json netns list') ? (peer ? fx('ip-netns-list-peer.json') : '[{"name":"nprobe2","id":0},{"name":"nprobe1"}]')
        : a.includes('addr show') ? fx(peer ? 'ip-addr-peer.json' : 'ip-addr.json')
        : a.includes('-4 -json route') ? (peer ? '[]' : fx('ip-route4.json'))
        : a.includes('-6 -json route') ? (peer ? '[]' : fx('ip-route6.json'))
        : a.includes('fdb show') ? (peer ? '[]' : fx('bridge-fdb.json'))
        : a.endsWith('ip6tables-save') ? (peer ? '' : fx('ip6tables-save.txt'))
        : a.endsWith('iptables-save') ? (peer ? '' : fx('iptables-save.txt'))
        : a.endsWith('ipset save') ? (peer ? '' : fx('ipset-save.txt'))
        : '';
    };
    const exec: Exec = async (argv) => {
      if (argv.join(' ') === 'ip -json netns list') return { code: 0, stdout: '[{"name":"nprobe2"},{"name":"nprobe1"}]', stderr: '' };
      expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
      const [marker, idsOf] = [argv[5], argv[7]];
      expect(argv[8]).toBe('0'); // $5: no traffic control asked for
      calls.push(argv.slice(9));
      // the namespace ids are read only where asked ($3 = 1: the host's namespace)
      const read = (ns: string, cmd: string) => (cmd.includes('netns list') && ns !== idsOf ? '' : answer(ns, cmd));
      const stdout = argv
        .slice(9)
        .map((ns) => [`${marker} ns ${ns}`, ...NS_READS.map((cmd) => `${read(ns, cmd)}\n${marker} 0`), `${marker} end 0`, ''].join('\n'))
        .join('');
      return { code: 0, stdout, stderr: '' };
    };
    const calls: string[][] = [];
    const driver = new LinuxDriver({ hostNetns: 'nprobe1', stateDir: '/nonexistent', exec });
    const s = await driver.observe({ ownership: { netnsPrefixes: ['nprobe2'], linkPrefixes: ['tap', 'brq', 'vxlan-', 'ns-'], chainPrefixes: ['neutron-'], ipsetPrefixes: ['NIPv4'] } });
    expect(s.namespaces).toEqual([{ name: 'nprobe2', owned: true }]);
    expect(s.links.find((l) => l.name === 'tapprobe')!.peer).toEqual({ name: 'ns-probe', netns: 'nprobe2' });
    expect(s.links.find((l) => l.name === 'ns-probe')!.peer).toEqual({ name: 'tapprobe', netns: '' });
    // both ends named from the host's ids: no second read of the other namespace's
    expect(calls.flat().sort()).toEqual(['nprobe1', 'nprobe2']);
    expect(s.ipsets.map((x) => x.name)).toEqual(['NIPv4abc']);
    expect(s.routes.filter((r) => r.owned).map((r) => r.dst)).toEqual(['10.60.0.0/24', '0.0.0.0/0', '10.50.0.0/16', '2001:db8:1::/48']);
  });
});

describe('linux plan: table order', () => {
  it("writes a namespace's nat table only after its filter and mangle tables (a guard a NAT change relies on comes first)", () => {
    const t = (table: 'filter' | 'nat' | 'mangle', rule: string) => ({ netns: 'qr1', family: 'ipv4' as const, table, chains: [{ name: `neutron-l3-agent-${table}`, rules: [rule] }] });
    const before = hostState({ namespaces: [{ name: 'qr1' }], iptables: [t('nat', '-j ACCEPT'), t('filter', '-j ACCEPT'), t('mangle', '-j ACCEPT')] });
    const after = hostState({ namespaces: [{ name: 'qr1' }], iptables: [t('nat', '-j RETURN'), t('filter', '-j RETURN'), t('mangle', '-j RETURN')] });
    const stages = planLinux(diff(after, before)).map((s) => s.map((st) => (st as CommandStep).input!.split('\n')[0]));
    expect(stages).toEqual([['*filter', '*mangle'], ['*nat']]);
  });
});
