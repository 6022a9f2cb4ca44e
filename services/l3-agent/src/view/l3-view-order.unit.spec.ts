import type { StoredEvent } from '@neutrino/events';
import { FIP, NET, ROUTER, SUBNET, VM_PORT, ev, fipUpdated, floatingIp, network, port, router, routerLog, routerUpdated, scheduled, subnet } from '../__fixtures__/l3-log';
import { l3Desired, type L3DesiredSettings } from '../desired/l3-desired';
import { L3View, isRouterPort } from './l3-view';

const cfg: L3DesiredSettings = { netnsPrefix: '', enableMetadataProxy: false, haConfsDir: '/tmp/ha', keepalivedBin: 'keepalived', ipsecDir: '/var/lib/neutron/ipsec', starterBin: '/usr/lib/ipsec/starter' };
const R2 = 'b2b2b2b2-0000-4000-8000-000000000002';
const R3 = 'c3c3c3c3-0000-4000-8000-000000000003';
const NET2 = 'd4d4d4d4-0000-4000-8000-000000000004';

/** A log with a router here, another here and one elsewhere, floating IPs moving, and events the view should call irrelevant. */
const log = (): StoredEvent[] => [
  ...routerLog(),
  floatingIp(),
  floatingIp('f2f2f2f2-0000-4000-8000-000000000102', '10.50.0.102', '10.30.0.4', 'a1b2c3d4-e5f6-4a47-8b48-000000000004'),
  fipUpdated({ fixed_ip_address: '10.30.0.5', port_id: 'a1b2c3d4-e5f6-4a47-8b48-000000000005' }),
  routerUpdated({ routes: [{ destination: '10.99.0.0/16', nexthop: '10.30.0.254' }] }),
  routerUpdated({ description: 'only a description' }),
  network(NET2),
  subnet('e5e5e5e5-0000-4000-8000-000000000005', NET2, '10.31.0.0/24', '10.31.0.1'),
  router(R2),
  port('a0a0a0a0-0000-4000-8000-000000000010', NET2, 'fa:16:3e:00:00:10', [['e5e5e5e5-0000-4000-8000-000000000005', '10.31.0.1']], { device_owner: 'network:router_interface', device_id: R2 }),
  scheduled(R2),
  router(R3),
  scheduled(R3, ['network9']),
  port('a0a0a0a0-0000-4000-8000-000000000011', NET, 'fa:16:3e:00:00:11', [[SUBNET, '10.30.0.9']], { device_owner: 'compute:nova', device_id: 'vm', 'binding:host_id': 'compute1' }),
  ev('port.updated', 'port', VM_PORT, { changes: { status: 'ACTIVE' } }),
  fipUpdated({ status: 'ACTIVE' }, FIP),
];

const desiredOf = (events: StoredEvent[]) => {
  const v = new L3View('network1');
  for (const e of events) v.apply(e);
  return l3Desired(v, cfg);
};

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random interleaving that keeps each subject's events in their order (what independent aggregates allow). */
function interleave(events: StoredEvent[], r: () => number): StoredEvent[] {
  const queues = new Map<string, StoredEvent[]>();
  for (const e of events) queues.set(e.subject, [...(queues.get(e.subject) ?? []), e]);
  const out: StoredEvent[] = [];
  while (queues.size) {
    const subjects = [...queues.keys()];
    const s = subjects[Math.floor(r() * subjects.length)];
    const q = queues.get(s)!;
    out.push(q.shift()!);
    if (!q.length) queues.delete(s);
  }
  return out;
}

describe('the l3 view, event by event', () => {
  it('fed one event at a time (desired computed after each), ends with the desired state of a whole replay, and every prefix agrees with a fresh replay', () => {
    const events = log();
    const v = new L3View('network1');
    events.forEach((e, i) => {
      v.apply(e);
      expect({ i, desired: l3Desired(v, cfg) }).toEqual({ i, desired: desiredOf(events.slice(0, i + 1)) });
    });
  });

  it('no event the view calls irrelevant changes the desired state', () => {
    const v = new L3View('network1');
    let before = l3Desired(v, cfg);
    let irrelevant = 0;
    for (const e of log()) {
      const relevant = v.apply(e);
      const after = l3Desired(v, cfg);
      if (!relevant) {
        irrelevant++;
        expect({ event: e.type, desired: after }).toEqual({ event: e.type, desired: before });
      }
      before = after;
    }
    expect(irrelevant).toBeGreaterThan(4);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('any order of independent events gives the same desired state (seed %i)', (seed) => {
    const events = log();
    expect(desiredOf(interleave(events, rng(seed)))).toEqual(desiredOf(events));
  });

  it('the fixture has router ports on this host (the test is not vacuous)', () => {
    expect(log().some((e) => e.type === 'port.created' && isRouterPort((e.data as { port: never }).port))).toBe(true);
    expect(desiredOf(log()).namespaces.map((n) => n.name).sort()).toEqual([`qrouter-${R2}`, `qrouter-${ROUTER}`].sort());
  });
});
