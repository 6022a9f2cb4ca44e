import { evolvePlacement } from './evolve';

const ev = (type: string, data: object) => ({ type, at: '2026-01-01T00:00:00Z', data });

describe('evolvePlacement', () => {
  it('keeps one active member: a newer active report demotes the previous one', () => {
    let p = evolvePlacement(undefined, ev('router.scheduled', { router_id: 'r', hosts: ['n1', 'n2'] }));
    p = evolvePlacement(p, ev('router.ha_state_reported', { router_id: 'r', host: 'n1', ha_state: 'active' }));
    p = evolvePlacement(p, ev('router.ha_state_reported', { router_id: 'r', host: 'n2', ha_state: 'standby' }));
    expect(p!.ha_states).toEqual({ n1: 'active', n2: 'standby' });
    // n1's host dies without a word; n2 takes over
    p = evolvePlacement(p, ev('router.ha_state_reported', { router_id: 'r', host: 'n2', ha_state: 'active' }));
    expect(p!.ha_states).toEqual({ n1: 'standby', n2: 'active' });
  });

  it('forgets the states of hosts the router is no longer scheduled to', () => {
    let p = evolvePlacement(undefined, ev('router.scheduled', { router_id: 'r', hosts: ['n1', 'n2'] }));
    p = evolvePlacement(p, ev('router.ha_state_reported', { router_id: 'r', host: 'n1', ha_state: 'active' }));
    p = evolvePlacement(p, ev('router.scheduled', { router_id: 'r', hosts: ['n2', 'n3'] }));
    expect(p).toEqual({ hosts: ['n2', 'n3'], ha_states: {} });
  });
});
