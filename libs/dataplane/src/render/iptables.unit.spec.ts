import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderIptablesSave } from './iptables-save';
import { renderIptablesRestore } from './iptables-restore';
import { comment } from '../model/rules';
import type { IptTable } from '../model/types';
import { diff } from '../diff/diff';
import { hostState } from '../model/state';
import { parseIptablesSave, projectTable } from '../parse/iptables-save';
import type { IptablesChange } from './iptables-restore';

const P = 'neutron-linuxbri-';
const TAP = 'tap6d7340c8-b1';
const C = '6d7340c8-b';
const fallback = `${comment('Send unmatched traffic to the fallback chain.')} -j ${P}sg-fallback`;

/** The objects an l2-agent would compute for WEB1 (spec/security-groups.md §5). */
const web1: IptTable = {
  family: 'ipv4',
  table: 'filter',
  chains: [
    { name: 'INPUT', rules: [`-j ${P}INPUT`] },
    { name: 'FORWARD', rules: ['-j neutron-filter-top', `-j ${P}FORWARD`] },
    { name: 'OUTPUT', rules: ['-j neutron-filter-top', `-j ${P}OUTPUT`] },
    { name: 'neutron-filter-top', rules: [`-j ${P}local`], shared: true },
    { name: `${P}sg-chain`, rules: [
      `-m physdev --physdev-out ${TAP} --physdev-is-bridged -j ${P}i${C}`,
      `-m physdev --physdev-in ${TAP} --physdev-is-bridged -j ${P}o${C}`,
      '-j ACCEPT',
    ] },
    { name: `${P}sg-fallback`, rules: [`${comment('Default drop rule for unmatched traffic.')} -j DROP`] },
    { name: `${P}FORWARD`, rules: [
      `-m physdev --physdev-out ${TAP} --physdev-is-bridged -j ${P}sg-chain`,
      `-m physdev --physdev-in ${TAP} --physdev-is-bridged -j ${P}sg-chain`,
    ] },
    { name: `${P}INPUT`, rules: [`-m physdev --physdev-in ${TAP} --physdev-is-bridged -j ${P}o${C}`] },
    { name: `${P}OUTPUT`, rules: [] },
    { name: `${P}local`, rules: [] },
    { name: `${P}i${C}`, rules: [
      '-m state --state INVALID -j DROP',
      '-m state --state RELATED,ESTABLISHED -j RETURN',
      '-s 10.30.0.2/32 -p udp -m udp --sport 67 --dport 68 -j RETURN',
      '-p tcp -m tcp --dport 443 -j RETURN',
      '-p tcp -m tcp --dport 80 -j RETURN',
      fallback,
    ] },
    { name: `${P}o${C}`, rules: [
      `-p udp -m udp --sport 68 --dport 67 ${comment('Allow DHCP client traffic.')} -j RETURN`,
      `-j ${P}s${C}`,
      `-p udp -m udp --sport 67 --dport 68 ${comment('Prevent DHCP Spoofing by VM.')} -j DROP`,
      '-m state --state INVALID -j DROP',
      '-m state --state RELATED,ESTABLISHED -j RETURN',
      '-j RETURN',
      fallback,
    ] },
    { name: `${P}s${C}`, rules: [
      '-s 10.30.0.3/32 -m mac --mac-source FA:16:3E:A4:C3:F9 -j RETURN',
      `${comment('Drop traffic without an IP/MAC allow rule.')} -j DROP`,
    ] },
  ],
};

const fixture = (name: string) => readFileSync(join(__dirname, '__fixtures__', name), 'utf8');

describe('iptables renderers', () => {
  it('renders the WEB1 port exactly as the spec golden iptables-save', () => {
    expect(renderIptablesSave(web1)).toBe(fixture('sg-web1-filter.golden.txt'));
  });

  it('creates everything with one --noflush restore: chains declared, hooks inserted at the top', () => {
    const changes = diff(hostState({ iptables: [web1] }), hostState()) as IptablesChange[];
    const text = renderIptablesRestore('filter', changes);
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('*filter');
    expect(lines.at(-1)).toBe('COMMIT');
    expect(lines.filter((l) => l.startsWith(':'))).toHaveLength(10); // 9 owned chains + the shared neutron-filter-top
    expect(lines.filter((l) => l.startsWith('-I FORWARD'))).toEqual(['-I FORWARD 1 -j neutron-filter-top', `-I FORWARD 2 -j ${P}FORWARD`]);
    expect(lines.some((l) => /^:(INPUT|FORWARD|OUTPUT) /.test(l))).toBe(false); // built-ins are never declared (that would flush them)
  });

  it('touches only the chain that changed, and never redeclares an existing chain', () => {
    const observed = hostState({ iptables: [projectTable({ netnsPrefixes: [], linkPrefixes: [], chainPrefixes: [P], sharedChains: ['neutron-filter-top'], ipsetPrefixes: [] }, parseIptablesSave(fixture('sg-web1-filter.golden.txt'), 'ipv4')[0])] });
    observed.iptables[0].netns = '';
    const next = structuredClone(web1);
    next.chains.find((c) => c.name === `${P}i${C}`)!.rules.splice(3, 1); // the 443 rule is deleted
    const changes = diff(hostState({ iptables: [next] }), observed) as IptablesChange[];
    expect(renderIptablesRestore('filter', changes)).toBe(
      [
        '*filter',
        `-F ${P}i${C}`,
        `-A ${P}i${C} -m state --state INVALID -j DROP`,
        `-A ${P}i${C} -m state --state RELATED,ESTABLISHED -j RETURN`,
        `-A ${P}i${C} -s 10.30.0.2/32 -p udp -m udp --sport 67 --dport 68 -j RETURN`,
        `-A ${P}i${C} -p tcp -m tcp --dport 80 -j RETURN`,
        `-A ${P}i${C} -m comment --comment "Send unmatched traffic to the fallback chain." -j ${P}sg-fallback`,
        'COMMIT',
        '',
      ].join('\n'),
    );
  });

  it('removes a chain after unhooking it, flushing before deleting', () => {
    const text = renderIptablesRestore('filter', [
      { kind: 'hook.set', netns: '', family: 'ipv4', table: 'filter', chain: 'FORWARD', remove: [`-j ${P}FORWARD`], insert: [], createChain: false },
      { kind: 'chain.delete', netns: '', family: 'ipv4', table: 'filter', chain: `${P}FORWARD` },
      { kind: 'chain.delete', netns: '', family: 'ipv4', table: 'filter', chain: `${P}sg-chain` },
    ]);
    expect(text).toBe(`*filter\n-D FORWARD -j ${P}FORWARD\n-F ${P}FORWARD\n-F ${P}sg-chain\n-X ${P}FORWARD\n-X ${P}sg-chain\nCOMMIT\n`);
  });

  it('compares rules as iptables-nft prints them back (lower-case MACs, unquoted single words)', () => {
    const kernel = parseIptablesSave(fixture('sg-web1-filter.kernel.txt'), 'ipv4')[0];
    const own = projectTable({ netnsPrefixes: [], linkPrefixes: [], chainPrefixes: [P], sharedChains: ['neutron-filter-top'], ipsetPrefixes: [] }, kernel);
    expect(diff(hostState({ iptables: [{ ...web1, netns: '' }] }), hostState({ iptables: [{ ...own, netns: '' }] }))).toEqual([]);
  });
});
