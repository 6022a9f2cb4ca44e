import { parseBatchedReads, readNamespaces, readNetnsIds } from './observe';
import type { Exec } from './exec';

const M = '@@m@@';
/** What the batched script prints for one namespace: eleven reads, each followed by its marker. */
const nsOutput = (ns: string, codes: number[] = [], texts: string[] = []) =>
  [`${M} ns ${ns}`, ...Array.from({ length: 11 }, (_, i) => `${texts[i] ?? `read${i} of ${ns}`}\n\n${M} ${codes[i] ?? 0}`), '', `${M} end 0`, ''].join('\n');

describe('batched observe output', () => {
  it('splits each namespace into its reads, in order, without the newline the marker adds', () => {
    const out = parseBatchedReads(nsOutput('') + nsOutput('qr-1', [], ['[{"ifname":"lo"}]']), '', M, ['', 'qr-1']);
    expect(out.get('')!.addr).toBe('read0 of ');
    expect(out.get('qr-1')!.addr).toBe('[{"ifname":"lo"}]');
    expect(out.get('qr-1')!.ipt4).toBe('read4 of qr-1');
    expect(out.get('qr-1')!.netnsIds).toBe('read8 of qr-1');
  });

  it('keeps an output that does not end in a newline whole', () => {
    const text = [`${M} ns a`, ...Array.from({ length: 11 }, (_, i) => `x${i}\n${M} 0`), `${M} end 0`].join('\n');
    expect(parseBatchedReads(text, '', M, ['a']).get('a')!.route4).toBe('x1');
  });

  it('refuses a failed read (but not a sysctl that failed), a namespace that could not be entered and one missing', () => {
    expect(() => parseBatchedReads(nsOutput('a', [0, 0, 0, 0, 1]), 'iptables-save: boom', M, ['a'])).toThrow(/iptables-save in namespace 'a': exit 1: iptables-save: boom/);
    expect(parseBatchedReads(nsOutput('a', [0, 0, 0, 0, 0, 0, 0, 255]), '', M, ['a']).get('a')!.sysctl).toBe('read7 of a');
    expect(() => parseBatchedReads(`${M} ns gone\n\n${M} end 1\n`, 'Cannot open network namespace "gone"', M, ['gone'])).toThrow(/nsenter in namespace 'gone': exit 1: Cannot open/);
    expect(() => parseBatchedReads(nsOutput('a'), '', M, ['a', 'b'])).toThrow(/no reads for namespace 'b'/);
  });

  it('starts one process per batch and passes names and sysctl keys as arguments, never inside the script', async () => {
    const calls: string[][] = [];
    const exec: Exec = async (argv) => {
      calls.push(argv);
      const marker = argv[5];
      const names = argv.slice(9);
      return { code: 0, stdout: names.map((n) => nsOutput(n).split(M).join(marker)).join(''), stderr: '' };
    };
    const names = ['', 'n1', 'n2', 'n3', "n4'; rm -rf /"];
    const reads = await readNamespaces(exec, names, ['net.ipv4.ip_forward'], 2, '');
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c[0] === 'sh' && c[1] === '-c' && !c[2].includes('n1'))).toBe(true);
    expect(calls.map((c) => c.slice(9))).toEqual([['', 'n2', "n4'; rm -rf /"], ['n1', 'n3']]);
    expect(calls[0][6]).toBe('net.ipv4.ip_forward');
    expect(calls[0][7]).toBe(''); // the namespace whose ids are read: the host's
    expect(calls[0][8]).toBe('0'); // no traffic control asked for
    expect([...reads.keys()].sort()).toEqual([...names].sort());
    await expect(readNamespaces(exec, ['a'], ['net.ipv4.*; reboot'], 1)).rejects.toThrow(/not a sysctl key/);
  });
});

describe('namespace ids read afterwards', () => {
  it('reads `ip -json netns list` in each namespace asked for, in one process, and refuses a namespace that failed', async () => {
    const seen: string[][] = [];
    const exec: Exec = async (argv) => {
      seen.push(argv);
      const m = argv[4];
      return { code: 0, stdout: argv.slice(5).map((n) => `${m} ns ${n}\n[{"name":"x","id":${n.length}}]\n${m} end ${n === 'bad' ? 1 : 0}\n`).join(''), stderr: '' };
    };
    const ids = await readNetnsIds(exec, ['a', 'bb']);
    expect(seen).toHaveLength(1);
    expect(ids.get('bb')).toBe('[{"name":"x","id":2}]');
    await expect(readNetnsIds(exec, ['bad'])).rejects.toThrow(/ip netns list in namespace 'bad'/);
  });
});
