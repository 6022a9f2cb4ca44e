import type { Network, Port, Subnet, SubnetPool } from '@neutrino/domain';
import { ReadModel } from '../read/read-model';
import { Reader } from '../read/reader';
import type { CommandHandler } from '../write/command-handler';
import { DeletionSettler, findStrandedBlocks, findUnsettled } from './deletion-settler';
import type { SubnetPoolsService } from './subnetpools.service';
import type { PortsService } from './ports.service';

const net = (id: string, extra: Partial<Network> = {}) => ({ value: { id, subnets: ['s1'], ...extra } as Network, seq: 5 });
const port = (id: string, networkId: string, subnets: string[]) =>
  ({ value: { id, network_id: networkId, fixed_ips: subnets.map((subnet_id) => ({ subnet_id, ip_address: '10.0.0.9' })) } as Port, seq: 7 });

describe('deletion settler', () => {
  it('finds marks, decided removals and ports on a network or subnet that is gone', () => {
    const networks = [net('n1'), net('n2', { deleting: ['n2'] }), net('n3', { subnets: ['s3'], removed_subnets: ['s3'] })];
    const byId = new Map(networks.map((n) => [n.value.id, n.value]));
    const ports = [port('ok', 'n1', ['s1']), port('no-net', 'gone', []), port('no-subnet', 'n1', ['s-gone']), port('removed', 'n3', ['s3']), port('bare', 'n1', [])];
    expect(findUnsettled(networks, ports, (id) => byId.get(id))).toEqual({
      networks: [{ id: 'n2', seq: 5 }, { id: 'n3', seq: 5 }],
      ports: [{ id: 'no-net', seq: 7 }, { id: 'no-subnet', seq: 7 }, { id: 'removed', seq: 7 }],
    });
  });

  it('settles only what two sweeps in a row saw unchanged (a create or a deletion in flight is left alone)', async () => {
    const model = new ReadModel();
    model.networks.set('n1', { value: { id: 'n1', subnets: [], deleting: ['n1'] } as unknown as Network, seq: 3 });
    model.ports.set('p1', port('p1', 'gone', []));
    const removed: string[] = [];
    const commands: unknown[] = [];
    const handler = { handle: async (_ctx: unknown, c: { decide: (s: unknown) => unknown; load: () => { state: unknown } }) => commands.push(c.decide(c.load().state)) } as unknown as CommandHandler;
    const ports = { remove: async (_ctx: unknown, id: string) => void (removed.push(id), model.ports.delete(id)) } as unknown as PortsService;
    const settler = new DeletionSettler(new Reader(model), handler, () => ports);

    expect(await settler.sweep()).toEqual({ networks: 0, ports: 0, blocks: 0 });
    expect(removed).toEqual([]);
    // the network moved on meanwhile (its deletion is at work): not yet
    model.networks.set('n1', { value: { id: 'n1', subnets: [], deleting: ['n1'] } as unknown as Network, seq: 4 });
    expect(await settler.sweep()).toEqual({ networks: 0, ports: 1, blocks: 0 });
    expect(removed).toEqual(['p1']);
    expect(await settler.sweep()).toEqual({ networks: 1, ports: 0, blocks: 0 });
    expect(commands).toEqual([[{ type: 'network.deleting_cancelled', data: { network_id: 'n1', id: 'n1' } }]]);
  });

  it('frees a pool block held for a subnet that does not exist once two sweeps saw it (an allocation whose subnet is being made is left alone)', async () => {
    const model = new ReadModel();
    const pool = { id: 'sp', allocations: { s1: { cidr: '10.0.0.0/26', project_id: 'p', at: 't1' }, s2: { cidr: '10.0.0.64/26', project_id: 'p', at: 't2' } } } as unknown as SubnetPool;
    model.subnetPools.set('sp', { value: pool, seq: 9 });
    model.subnets.set('s1', { value: { id: 's1' } as Subnet, seq: 1 });
    expect(findStrandedBlocks(model.subnetPools.values(), (id) => model.subnets.has(id))).toEqual([{ pool: 'sp', subnet: 's2', key: 'block:sp/s2@t2' }]);
    const released: string[] = [];
    const pools = { release: async (_ctx: unknown, p: string, sid: string) => void released.push(`${p}/${sid}`) } as unknown as SubnetPoolsService;
    const settler = new DeletionSettler(new Reader(model), {} as CommandHandler, () => ({}) as PortsService, () => pools);
    expect(await settler.sweep()).toEqual({ networks: 0, ports: 0, blocks: 0 });
    // s2's subnet was made meanwhile: nothing to do; s3's never was
    model.subnets.set('s2', { value: { id: 's2' } as Subnet, seq: 2 });
    model.subnetPools.set('sp', { value: { ...pool, allocations: { ...pool.allocations, s3: { cidr: '10.0.0.128/26', project_id: 'p', at: 't3' } } }, seq: 10 });
    expect(await settler.sweep()).toEqual({ networks: 0, ports: 0, blocks: 0 });
    expect(await settler.sweep()).toEqual({ networks: 0, ports: 0, blocks: 1 });
    expect(released).toEqual(['sp/s3']);
  });
});
