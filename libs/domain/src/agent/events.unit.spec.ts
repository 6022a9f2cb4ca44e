import type { Port } from '../model';
import { decideHaPortBinding, decideHaStateReport } from './events';

const port = (extra: Partial<Port>): Port => ({ id: 'p1', device_id: 'r1', 'binding:host_id': 'network1', ...extra }) as Port;

describe('what agents decide to write', () => {
  it('the active member binds the router\'s port to its host, unless it is gone, moved to another router or bound here', () => {
    expect(decideHaPortBinding(port({}), 'r1', 'network2')).toEqual({ type: 'port.updated', data: { changes: { 'binding:host_id': 'network2' } } });
    expect(decideHaPortBinding(undefined, 'r1', 'network2')).toBeNull();
    expect(decideHaPortBinding(port({ device_id: 'r2' }), 'r1', 'network2')).toBeNull();
    expect(decideHaPortBinding(port({ 'binding:host_id': 'network2' }), 'r1', 'network2')).toBeNull();
  });

  it('an HA state is reported when the log does not say it already, and never for a deleted router', () => {
    const placement = { hosts: ['network1', 'network2'], ha_states: { network1: 'active' as const } };
    expect(decideHaStateReport(true, placement, 'r1', 'network2', 'standby')).toEqual({
      type: 'router.ha_state_reported', data: { router_id: 'r1', host: 'network2', ha_state: 'standby' },
    });
    expect(decideHaStateReport(true, placement, 'r1', 'network1', 'active')).toBeNull();
    expect(decideHaStateReport(false, placement, 'r1', 'network2', 'active')).toBeNull();
  });
});
