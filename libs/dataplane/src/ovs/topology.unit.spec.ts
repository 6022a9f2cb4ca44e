import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTopology, planTopology, type DesiredBridge, type OvsTopology } from './topology';

// `ovs-vsctl --format=json --columns=… list Bridge|Port|Interface` of a real OVS 3.1: br-int (two
// tagged access ports, one owned by `test`, and patch-tun) and br-tun (patch-int and a VXLAN port of `test`).
const fixture = (name: string) => readFileSync(join(__dirname, '__fixtures__', name), 'utf8');
const observed = (): OvsTopology => parseTopology(fixture('list-bridge.json'), fixture('list-port.json'), fixture('list-interface.json'));

describe('parseTopology', () => {
  it('joins bridges, ports and interfaces', () => {
    const t = observed();
    expect(t.bridges.map((b) => [b.name, b.datapathType, b.failMode, b.ports.map((p) => p.name)])).toEqual([
      ['br-int', 'netdev', 'secure', ['br-int', 'ovsh-qvoa', 'ovsh-qvob', 'patch-tun']],
      ['br-tun', 'netdev', 'secure', ['br-tun', 'patch-int', 'vxlan-0afefec8']],
    ]);
    const [brInt, brTun] = t.bridges;
    expect(brInt.ports[1]).toMatchObject({ name: 'ovsh-qvoa', bridge: 'br-int', tag: 5, externalIds: { 'neutrino-owner': 'test' } });
    expect(brInt.ports[3].tag).toBeUndefined();
    expect(brInt.ports[3].interfaces).toEqual([expect.objectContaining({ name: 'patch-tun', type: 'patch', options: { peer: 'patch-int' }, ofport: 1 })]);
    expect(brInt.ports[0].interfaces[0]).toMatchObject({ type: 'internal', ofport: 65534 });
    expect(brTun.ports[2].interfaces[0]).toMatchObject({
      type: 'vxlan',
      options: { df_default: 'true', in_key: 'flow', out_key: 'flow', local_ip: '10.254.254.201', remote_ip: '10.254.254.200' },
    });
  });
});

describe('planTopology', () => {
  const want = (): DesiredBridge[] => [
    {
      name: 'br-int',
      datapathType: 'netdev',
      failMode: 'secure',
      ports: [{ name: 'patch-tun', type: 'patch', options: { peer: 'patch-int' } }, { name: 'ovsh-qvoa', tag: 5 }],
    },
    {
      name: 'br-tun',
      datapathType: 'netdev',
      failMode: 'secure',
      ports: [
        { name: 'patch-int', type: 'patch', options: { peer: 'patch-tun' } },
        { name: 'vxlan-0afefec8', type: 'vxlan', options: { df_default: 'true', in_key: 'flow', out_key: 'flow', local_ip: '10.254.254.201', remote_ip: '10.254.254.200' } },
      ],
    },
  ];
  const owning = (t: OvsTopology, owner: string): OvsTopology => {
    for (const b of t.bridges) {
      b.externalIds['neutrino-owner'] = owner;
      for (const p of b.ports) if (p.name.startsWith('patch-')) p.externalIds['neutrino-owner'] = owner;
    }
    return t;
  };

  it('from nothing: one transaction with the bridges, then their ports', () => {
    const p = planTopology(want().slice(0, 1), { bridges: [] }, 'agent');
    expect(p.args).toEqual([
      '--', '--may-exist', 'add-br', 'br-int',
      '--', 'set', 'Bridge', 'br-int', 'datapath_type=netdev', 'fail_mode=secure', 'external_ids:neutrino-owner=agent',
      '--', 'add-port', 'br-int', 'patch-tun',
      '--', 'set', 'Port', 'patch-tun', 'external_ids:neutrino-owner=agent',
      '--', 'set', 'Interface', 'patch-tun', 'type=patch', 'options:peer=patch-int',
      '--', 'add-port', 'br-int', 'ovsh-qvoa', 'tag=5',
      '--', 'set', 'Port', 'ovsh-qvoa', 'external_ids:neutrino-owner=agent',
      '--', 'set', 'Interface', 'ovsh-qvoa', 'type=""',
    ]);
    expect(p.changes).toEqual(['add bridge br-int datapath_type=netdev fail_mode=secure external_ids:neutrino-owner=agent', 'add port br-int/patch-tun', 'add port br-int/ovsh-qvoa']);
  });

  it('what is already as wanted plans nothing; ports of others are left alone', () => {
    // ovsh-qvob (nobody's) is not wanted and stays; the owned ones match
    const p = planTopology(want(), owning(observed(), 'test'), 'test');
    expect(p).toEqual({ args: [], changes: [] });
  });

  it('changes a tag and options in place, removes our unwanted port, never another owner\'s', () => {
    const w = want();
    w[0].ports[1].tag = 7;
    w[1].ports[1].options!.remote_ip = '10.254.254.202';
    const t = owning(observed(), 'test');
    t.bridges[1].ports.push({ uuid: 'u1', name: 'vxlan-0afefeca', bridge: 'br-tun', interfaces: [], externalIds: { 'neutrino-owner': 'test' } });
    t.bridges[1].ports.push({ uuid: 'u2', name: 'gre-0afefeca', bridge: 'br-tun', interfaces: [], externalIds: { 'neutrino-owner': 'other' } });
    const p = planTopology(w, t, 'test');
    expect(p.changes).toEqual([
      'del port br-tun/vxlan-0afefeca',
      'set port br-int/ovsh-qvoa tag=7',
      'set interface br-tun/vxlan-0afefec8 type=vxlan options:df_default=true options:in_key=flow options:out_key=flow options:local_ip=10.254.254.201 options:remote_ip=10.254.254.202',
    ]);
    expect(p.args.join(' ')).toContain('-- clear Interface vxlan-0afefec8 options -- set Interface vxlan-0afefec8 type=vxlan');
    expect(p.args.join(' ')).not.toContain('gre-0afefeca');
  });

  it('deletes our bridge nobody wants, not one of another owner; an external bridge only gets our ports', () => {
    const t = owning(observed(), 'test');
    const p = planTopology([{ name: 'br-tun', datapathType: 'netdev', failMode: 'secure', external: true, ports: want()[1].ports }], t, 'test');
    expect(p.changes).toEqual(['del bridge br-int']);
    expect(planTopology([], owning(observed(), 'other'), 'third')).toEqual({ args: [], changes: [] });
    expect(() => planTopology([{ name: 'br-eth2', datapathType: 'netdev', external: true, ports: [] }], t, 'test')).toThrow(/operator/);
  });

  it('a bridge whose datapath type differs is set again', () => {
    const t = owning(observed(), 'test');
    t.bridges[0].datapathType = 'system';
    expect(planTopology(want(), t, 'test').changes).toEqual(['set bridge br-int datapath_type=netdev fail_mode=secure external_ids:neutrino-owner=test']);
  });
});
