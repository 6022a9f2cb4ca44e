import type { AgentRecord as KitRecord } from '@neutrino/agent-kit';
import type { AgentEventData } from '@neutrino/domain';

describe('agent events', () => {
  it('the runner\'s registration is an agent.registered of the domain\'s catalogue', () => {
    const agent: KitRecord = {
      id: 'a', agent_type: 'L3 agent', binary: 'neutrino-l3-agent', host: 'h', topic: 'l3_agent', description: '', admin_state_up: true,
      configurations: {}, created_at: '2026-01-01T00:00:00Z', started_at: '2026-01-01T00:00:00Z',
    };
    const data: AgentEventData['agent.registered'] = { agent };
    expect(data.agent).toBe(agent);
  });
});
