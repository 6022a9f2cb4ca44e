import type { EventStore } from '@neutrino/events';
import type { Logger } from '@neutrino/observability';
import { GW_PORT, IF_PORT, ROUTER, ev, haLog } from '../__fixtures__/l3-log';
import { routerPlans } from '../desired/l3-desired';
import { L3View } from '../view/l3-view';
import { HaMonitor } from './ha-monitor';

/** The network2 member's monitor; what it appends reaches its view at once (the log caught up). */
function member() {
  const view = new L3View('network2');
  for (const e of haLog()) view.apply(e);
  const appended: Array<{ type: string; id: string; data: unknown }> = [];
  const store = {
    append: async (events: Array<{ type: string; aggregate: { type: string; id: string }; data: unknown }>) => {
      for (const e of events) {
        appended.push({ type: e.type, id: e.aggregate.id, data: e.data });
        view.apply(ev(e.type, e.aggregate.type, e.aggregate.id, e.data));
      }
    },
  } as unknown as EventStore;
  let holds = false;
  const logger = { info: () => undefined, warn: () => undefined } as unknown as Logger;
  const monitor = new HaMonitor(store, view, () => routerPlans(view, { netnsPrefix: '' }), { logger, binary: 'neutron-l3-agent', pollMs: 0, probe: async () => holds });
  return { view, appended, monitor, hold: (v: boolean) => (holds = v) };
}

/** network1 takes the router back: its report and its rebinding, as they come through the log. */
const network1TakesOver = (view: L3View) => {
  view.apply(ev('router.ha_state_reported', 'router', ROUTER, { router_id: ROUTER, host: 'network1', ha_state: 'active' }));
  for (const id of [IF_PORT, GW_PORT]) view.apply(ev('port.updated', 'port', id, { changes: { 'binding:host_id': 'network1' } }));
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
    network1TakesOver(m.view);
    await m.monitor.pollOnce();
    m.hold(true);
    await m.monitor.pollOnce();
    network1TakesOver(m.view);
    m.hold(false);
    await m.monitor.pollOnce();
    m.appended.length = 0;
    m.hold(true);
    await m.monitor.pollOnce();
    expect(m.appended.map((a) => `${a.type} ${a.id}`)).toEqual([`router.ha_state_reported ${ROUTER}`, `port.updated ${IF_PORT}`, `port.updated ${GW_PORT}`]);
    expect(m.view.portsOf(ROUTER, 'network:router_gateway')[0]['binding:host_id']).toBe('network2');
  });
});
