import type { StoredEvent } from '@neutrino/events';
import type { Logger } from '@neutrino/observability';
import { GW_PORT, IF_PORT, ROUTER, ev, haLog, subjectLogStore } from '../__fixtures__/l3-log';
import { routerPlans } from '../desired/l3-desired';
import { L3View } from '../view/l3-view';
import { HaMonitor } from './ha-monitor';

/**
 * The network2 member's monitor on a log that checks expected subject sequences;
 * what it appends reaches its view at once (the log caught up). `interfere`, when
 * set, runs once just before the next append lands (another writer got in first).
 */
function member() {
  const view = new L3View('network2');
  const log: StoredEvent[] = [];
  const record = (e: StoredEvent) => {
    log.push(e);
    view.apply(e);
  };
  for (const e of haLog()) record(e);
  const { store, appended, conflicts, interfere } = subjectLogStore(log, record);
  let holds = false;
  const logger = { info: () => undefined, warn: () => undefined } as unknown as Logger;
  const monitor = new HaMonitor(store, view, () => routerPlans(view, { netnsPrefix: '' }), { logger, binary: 'neutron-l3-agent', pollMs: 0, probe: async () => holds });
  return { view, appended, conflicts, record, monitor, hold: (v: boolean) => (holds = v), interfere };
}

/** network1 takes the router back: its report and its rebinding, as they come through the log. */
const network1TakesOver = (record: (e: StoredEvent) => void) => {
  record(ev('router.ha_state_reported', 'router', ROUTER, { router_id: ROUTER, host: 'network1', ha_state: 'active' }));
  for (const id of [IF_PORT, GW_PORT]) record(ev('port.updated', 'port', id, { changes: { 'binding:host_id': 'network1' } }));
};

describe('HaMonitor', () => {
  it('reports the state and binds the router ports here when active, once per change', async () => {
    const m = member();
    await m.monitor.pollOnce();
    expect(m.appended.map((a) => a.type)).toEqual(['router.ha_state_reported']);
    m.hold(true);
    await m.monitor.pollOnce();
    await m.monitor.pollOnce();
    expect(m.appended.slice(1)).toEqual([
      { type: 'router.ha_state_reported', id: ROUTER, data: { router_id: ROUTER, host: 'network2', ha_state: 'active' } },
      { type: 'port.updated', id: IF_PORT, data: { changes: { 'binding:host_id': 'network2' } } },
      { type: 'port.updated', id: GW_PORT, data: { changes: { 'binding:host_id': 'network2' } } },
    ]);
  });

  it('becoming active a second time (after the other member held the router) reports and rebinds again', async () => {
    const m = member();
    m.hold(true);
    await m.monitor.pollOnce();
    m.hold(false);
    network1TakesOver(m.record);
    await m.monitor.pollOnce();
    m.hold(true);
    await m.monitor.pollOnce();
    network1TakesOver(m.record);
    m.hold(false);
    await m.monitor.pollOnce();
    m.appended.length = 0;
    m.hold(true);
    await m.monitor.pollOnce();
    expect(m.appended.map((a) => `${a.type} ${a.id}`)).toEqual([`router.ha_state_reported ${ROUTER}`, `port.updated ${IF_PORT}`, `port.updated ${GW_PORT}`]);
    expect(m.view.portsOf(ROUTER, 'network:router_gateway')[0]['binding:host_id']).toBe('network2');
  });

  it('appends with the subject\'s expected sequence: on a conflict it reads the subject again and decides on what it finds', async () => {
    const m = member();
    m.hold(true);
    // the router's subject moves between the monitor's read and its append (an API update of the router)
    m.interfere(() => m.record(ev('router.updated', 'router', ROUTER, { changes: { description: 'renamed' } })));
    await m.monitor.pollOnce();
    expect(m.conflicts).toEqual([`evt.router.${ROUTER}`]);
    expect(m.appended.map((a) => `${a.type} ${a.id}`)).toEqual([`router.ha_state_reported ${ROUTER}`, `port.updated ${IF_PORT}`, `port.updated ${GW_PORT}`]);
  });

  it('decides nothing when the subject shows the change made already by someone else', async () => {
    const m = member();
    m.hold(true);
    m.record(ev('router.ha_state_reported', 'router', ROUTER, { router_id: ROUTER, host: 'network2', ha_state: 'active' }));
    // the interface port is bound here by another writer just before the monitor's append: it re-reads and leaves it
    m.interfere(() => m.record(ev('port.updated', 'port', IF_PORT, { changes: { 'binding:host_id': 'network2' } })));
    await m.monitor.pollOnce();
    expect(m.conflicts).toEqual([`evt.port.${IF_PORT}`]);
    expect(m.appended.map((a) => `${a.type} ${a.id}`)).toEqual([`port.updated ${GW_PORT}`]);
  });
});
