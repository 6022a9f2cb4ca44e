import type { Change } from '../../diff/changes';
import { isIptablesChange } from '../../diff/changes';
import { bridgeBatchLine, ipBatchLine, type RenderContext } from '../../render/ip-batch';
import { renderIptablesRestore, type IptablesChange } from '../../render/iptables-restore';
import { ipsetRestoreLines, type IpsetChange } from '../../render/ipset-restore';
import { inNetns, realNetns } from '../../render/netns';
import { tcBatchLines } from '../../render/tc-batch';

/** A batched command: `lines[i]` are the changes behind input line i+1 (for mapping errors back). */
export interface CommandStep {
  type: 'command';
  argv: string[];
  input?: string;
  changes: Change[];
  lines?: Change[][];
}

export interface ProcessStep {
  type: 'process';
  changes: [Change];
}

export type Step = CommandStep | ProcessStep;

type Tool = 'ip' | 'bridge' | 'sysctl' | 'ipset' | 'iptables' | 'tc' | 'process';

/** Stages run one after another; the commands inside a stage are independent of each other. */
function stageOf(c: Change): [number, Tool] {
  switch (c.kind) {
    case 'process.stop': return [0, 'process'];
    case 'netns.add': return [1, 'ip'];
    case 'link.add': return [2, 'ip'];
    case 'link.del': return c.replace ? [2, 'ip'] : [9, 'ip'];
    case 'link.set': case 'addr.add': case 'addr.del': case 'route.set': return [3, 'ip'];
    case 'fdb.add': return [3, 'bridge'];
    case 'sysctl.set': return [3, 'sysctl'];
    // after the links (an ifb is made before the redirect to it); an ifb's own tbf sorts first
    case 'tc.set': return [3.5, 'tc'];
    case 'ipset.create': case 'ipset.update': case 'ipset.swap': return [4, 'ipset'];
    case 'ipset.destroy': return c.replace ? [4, 'ipset'] : [6, 'ipset'];
    // a namespace's nat table after its other tables: a filter rule that a NAT change relies on (flows kept to the
    // mappings that stand) is in place before the NAT changes
    case 'chain.create': case 'chain.set': case 'hook.set': case 'chain.delete': return [c.table === 'nat' ? 5.5 : 5, 'iptables'];
    case 'process.start': case 'process.reload': case 'process.restart': return [7, 'process'];
    case 'fdb.del': return [8, 'bridge'];
    case 'route.del': return [9, 'ip'];
    case 'netns.del': return [10, 'ip'];
  }
}

function netnsOf(c: Change): string {
  switch (c.kind) {
    case 'netns.add': case 'netns.del': return '\0global';
    case 'link.add': return c.link.netns ?? '';
    case 'fdb.add': case 'fdb.del': return c.entry.netns ?? '';
    case 'route.set': case 'route.del': return c.route.netns ?? '';
    case 'ipset.create': case 'ipset.swap': return c.set.netns ?? '';
    case 'process.stop': case 'process.start': case 'process.reload': case 'process.restart': return c.process.netns ?? '';
    default: return c.netns;
  }
}

function command(tool: Tool, netns: string, changes: Change[], ctx: RenderContext): CommandStep {
  const global = netns === '\0global';
  const real = global ? undefined : realNetns(netns, ctx.hostNetns);
  const batch = (render: (c: Change) => string | undefined) => {
    const lines = changes.map((c) => [render(c)!]);
    return { input: lines.map((l) => `${l[0]}\n`).join(''), lines: changes.map((c) => [c]) };
  };
  switch (tool) {
    case 'ip':
      return { type: 'command', argv: ['ip', ...(real ? ['-n', real] : []), '-force', '-batch', '-'], changes, ...batch((c) => ipBatchLine(c, ctx)) };
    case 'bridge':
      return { type: 'command', argv: ['bridge', ...(real ? ['-n', real] : []), '-force', '-batch', '-'], changes, ...batch(bridgeBatchLine) };
    case 'tc': {
      const per = changes.map((c) => (c.kind === 'tc.set' ? tcBatchLines(c) : []));
      const lines = per.flatMap((ls, i) => ls.map(() => [changes[i]]));
      return { type: 'command', argv: ['tc', ...(real ? ['-n', real] : []), '-force', '-batch', '-'], input: per.flat().map((l) => `${l}\n`).join(''), changes, lines };
    }
    case 'sysctl': {
      const args = changes.map((c) => (c.kind === 'sysctl.set' ? `${c.key}=${c.value}` : ''));
      return { type: 'command', argv: inNetns(real, ['sysctl', '-q', '-w', ...args]), changes };
    }
    case 'ipset': {
      const per = changes.map((c) => ipsetRestoreLines(c as IpsetChange));
      const lines = per.flatMap((ls, i) => ls.map(() => [changes[i]]));
      return { type: 'command', argv: inNetns(real, ['ipset', '-exist', 'restore']), input: per.flat().map((l) => `${l}\n`).join(''), changes, lines };
    }
    case 'iptables': {
      const first = changes[0] as IptablesChange;
      const bin = first.family === 'ipv6' ? 'ip6tables-restore' : 'iptables-restore';
      const input = renderIptablesRestore(first.table, changes as IptablesChange[]);
      return { type: 'command', argv: inNetns(real, [bin, '-w', '--noflush']), input, changes };
    }
    case 'process':
      throw new Error('processes are not batched');
  }
}

/**
 * Turn ordered changes into the commands the linux driver runs: per stage, one
 * `ip -batch` / `bridge -batch` / `sysctl` / `ipset restore` per namespace and one
 * `iptables-restore --noflush` per namespace and table (nat in a stage after the
 * others); processes one by one.
 */
export function planLinux(changes: Change[], ctx: RenderContext = {}): Step[][] {
  const stages = new Map<number, Map<string, { tool: Tool; netns: string; changes: Change[] }>>();
  for (const c of changes) {
    const [stage, tool] = stageOf(c);
    const netns = netnsOf(c);
    const group = tool === 'iptables' && isIptablesChange(c) ? `${tool}/${netns}/${c.family}/${c.table}` : `${tool}/${netns}`;
    const groups = stages.get(stage) ?? new Map();
    stages.set(stage, groups);
    if (tool === 'process') {
      groups.set(`${group}/${groups.size}`, { tool, netns, changes: [c] });
      continue;
    }
    const g = groups.get(group) ?? { tool, netns, changes: [] };
    g.changes.push(c);
    groups.set(group, g);
  }
  return [...stages.keys()]
    .sort((a, b) => a - b)
    .map((s) =>
      [...stages.get(s)!.values()].map((g): Step =>
        g.tool === 'process' ? { type: 'process', changes: [g.changes[0]] } : command(g.tool, g.netns, g.changes, ctx),
      ),
    );
}
