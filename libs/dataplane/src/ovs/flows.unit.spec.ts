import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffFlows, flowDiffEmpty } from './flow-diff';
import { flowKey, parseDumpFlows, parseFlow, renderFlow, renderStrictDelete, type OfFlow } from './flows';

// Fixtures written by a real ovs-vswitchd 3.1 (netdev datapath): add-flows-br-tun.txt was given to
// `ovs-ofctl add-flows`, dump-flows-br-tun.txt is `ovs-ofctl --names dump-flows` of the result.
const fixture = (name: string) => readFileSync(join(__dirname, '__fixtures__', name), 'utf8');
const OURS = '0xabc';

describe('parsing ovs-ofctl dump-flows', () => {
  const dumped = parseDumpFlows(fixture('dump-flows-br-tun.txt'));

  it('reads every flow, counters dropped, defaults filled in, names unquoted', () => {
    expect(dumped).toHaveLength(20);
    expect(dumped[0]).toEqual({ cookie: '0x5', table: 0, priority: 32768, match: 'ip,nw_src=10.0.0.0/24', actions: 'NORMAL' });
    expect(dumped.find((f) => f.priority === 4)).toEqual({ cookie: '0x5', table: 0, priority: 4, match: 'in_port=patch-int,dl_vlan=3', actions: 'strip_vlan,NORMAL' });
    expect(dumped.find((f) => f.table === 20 && f.priority === 2)).toEqual({
      cookie: OURS, table: 20, priority: 2, match: 'dl_vlan=1,dl_dst=fa:16:3e:00:00:01', actions: 'strip_vlan,set_tunnel:0x64,output:vxlan-0afefec8',
    });
    for (const f of dumped) expect(Object.keys(f).filter((k) => /n_packets|duration|idle_age|n_bytes/.test(k))).toEqual([]);
  });

  it('keeps the timeouts of a learned-style flow and nested actions whole', () => {
    const learned = dumped.find((f) => f.table === 20 && f.priority === 1);
    expect(learned).toEqual({
      cookie: OURS, table: 20, priority: 1, hardTimeout: 300, match: 'vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:00:00:09',
      actions: 'load:0->NXM_OF_VLAN_TCI[],load:0x64->NXM_NX_TUN_ID[],output:vxlan-0afefec8',
    });
    const learn = dumped.find((f) => f.table === 10);
    expect(learn?.actions).toBe(
      'learn(table=20,hard_timeout=300,priority=1,cookie=0xabc,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),output:patch-int',
    );
  });

  it('skips the reply header and idle_age of a plain dump', () => {
    expect(parseDumpFlows(fixture('dump-flows-br-int.no-names.txt'))).toEqual([{ cookie: '0x1234', table: 0, priority: 1, match: '', actions: 'NORMAL' }]);
  });
});

describe('normalization: what we write and what OVS prints back are the same flow', () => {
  const written = fixture('add-flows-br-tun.txt').split('\n').filter(Boolean).map(parseFlow);
  const dumped = parseDumpFlows(fixture('dump-flows-br-tun.txt'));

  it('every flow given to add-flows equals its dump', () => {
    const byKey = new Map(dumped.map((f) => [flowKey(f), f]));
    expect(written).toHaveLength(dumped.length);
    for (const f of written) expect(byKey.get(flowKey(f))).toEqual(f);
  });

  it('folds protocol shorthands, MAC case, tun_id/set_tunnel in hex, field order', () => {
    expect(parseFlow('priority=5,udp,tp_dst=67,dl_type=0x0800,actions=NORMAL').match).toBe('udp,tp_dst=67');
    expect(parseFlow('dl_type=0x800,nw_proto=1 actions=NORMAL').match).toBe('icmp');
    expect(parseFlow('dl_type=0x86dd,nw_proto=58 actions=NORMAL').match).toBe('icmp6');
    expect(parseFlow('dl_dst=FA:16:3E:00:00:01,dl_vlan=1,in_port=3 actions=NORMAL').match).toBe('in_port=3,dl_vlan=1,dl_dst=fa:16:3e:00:00:01');
    expect(parseFlow('tun_id=100 actions=set_tunnel:100,output:"patch-int"')).toMatchObject({ match: 'tun_id=0x64', actions: 'set_tunnel:0x64,output:patch-int' });
    expect(parseFlow('cookie=2748,priority=0 actions=').actions).toBe('drop');
    expect(parseFlow('cookie=2748,priority=0 actions=').cookie).toBe(OURS);
  });

  it('renders lines that parse back to the same flow', () => {
    for (const f of written) expect(parseFlow(renderFlow(f))).toEqual(f);
    const f = parseFlow('cookie=0xabc,table=4,priority=1,tun_id=0x64 actions=mod_vlan_vid:1,resubmit(,10)');
    expect(renderFlow(f)).toBe('cookie=0xabc,table=4,priority=1,tun_id=0x64 actions=mod_vlan_vid:1,resubmit(,10)');
    expect(renderStrictDelete(f)).toBe('cookie=0xabc/-1,table=4,priority=1,tun_id=0x64');
  });
});

describe('diffFlows', () => {
  const installed = parseDumpFlows(fixture('dump-flows-br-tun.txt'));
  const desired = fixture('add-flows-br-tun.txt')
    .split('\n')
    .filter(Boolean)
    .map(parseFlow)
    .filter((f) => f.cookie === OURS && !f.hardTimeout);
  const f = (line: string): OfFlow => parseFlow(line);

  it('a reconcile against what it installed plans nothing', () => {
    const d = diffFlows(desired, installed, OURS);
    expect(d).toEqual({ add: [], del: [], conflicts: [] });
    expect(flowDiffEmpty(d)).toBe(true);
  });

  it('adds what is missing, rewrites ours whose actions changed, deletes ours not wanted', () => {
    const missing = f('cookie=0xabc,table=22,priority=1,dl_vlan=2 actions=strip_vlan,set_tunnel:0x65,output:vxlan-0afefec8');
    const changed = f('cookie=0xabc,table=23,priority=0 actions=resubmit(,22)');
    const gone = desired.find((x) => x.table === 21)!;
    const want = [...desired.filter((x) => x !== gone && x.table !== 23), missing, changed];
    const d = diffFlows(want, installed, OURS);
    expect(d.add).toEqual([missing, changed]);
    expect(d.del).toEqual([gone]);
    expect(d.conflicts).toEqual([]);
  });

  it('never touches flows of another cookie, nor our flows that expire by themselves', () => {
    const d = diffFlows([], installed, OURS);
    expect(d.add).toEqual([]);
    expect(d.del.every((x) => x.cookie === OURS && !x.hardTimeout)).toBe(true);
    expect(d.del).toHaveLength(desired.length);
    const foreign = installed.filter((x) => x.cookie === '0x5');
    expect(foreign).toHaveLength(5);
    for (const x of foreign) expect(d.del).not.toContainEqual(x);
  });

  it('a wanted flow whose key another cookie holds is a conflict, not an overwrite', () => {
    const clash = f('cookie=0xabc,priority=3,in_port=patch-int,vlan_tci=0x0000 actions=drop');
    const d = diffFlows([...desired, clash], installed, OURS);
    expect(d.add).toEqual([]);
    expect(d.conflicts).toEqual([{ desired: clash, installed: installed.find((x) => x.priority === 3) }]);
  });

  it('refuses desired flows of another cookie or with duplicate keys', () => {
    expect(() => diffFlows([f('cookie=0x5 actions=drop')], [], OURS)).toThrow(/cookie 0x5/);
    expect(() => diffFlows([f('cookie=0xabc actions=drop'), f('cookie=0xabc actions=NORMAL')], [], OURS)).toThrow(/same table/);
  });
});
