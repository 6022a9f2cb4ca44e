import type { StoredEvent } from '@neutrino/events';
import { auditMatches, describeChange, formatAuditLine } from './audit-format';

const event = (over: Partial<StoredEvent>): StoredEvent => ({
  id: 'e1', type: 'port.updated', schema: 1, aggregate: { type: 'port', id: 'p1' }, at: '2026-01-01T00:00:00Z',
  actor: { user_id: 'u1', project_id: 'proj', roles: ['member'] }, request_id: 'req-1', causation_id: null,
  data: { changes: { name: 'web', updated_at: 'x' } }, seq: 7, subject: 'evt.port.p1', ...over,
});

describe('audit formatting', () => {
  it('prints time, sequence, actor, request, type, aggregate and what changed', () => {
    expect(formatAuditLine(event({}))).toBe('2026-01-01T00:00:00Z  #7  u1@proj  req-1  port.updated  port/p1  name="web"');
  });

  it('describes allocations by their data', () => {
    const e = event({ type: 'ip.allocated', data: { subnet_id: 's', ip_address: '10.0.0.2', port_id: 'p1' } });
    expect(describeChange(e)).toBe('subnet_id="s" ip_address="10.0.0.2" port_id="p1"');
  });

  it('describes a bulk batch by its resource, owner, times and count, not its thousand ids', () => {
    const batch = { id: 'b1', resource: 'port', ids: ['p1', 'p2', 'p3'], owner: 'gw:9696', started_at: 's', deadline_at: 'd', status: 'started' };
    const e = event({ type: 'bulk.started', aggregate: { type: 'bulk', id: 'b1' }, data: { batch } });
    expect(describeChange(e)).toBe('resource="port" owner="gw:9696" started_at="s" deadline_at="d" status="started" count=3');
  });

  it('matches by resource id, also when only mentioned in the data', () => {
    expect(auditMatches(event({}), { resource: 'p1' })).toBe(true);
    expect(auditMatches(event({ aggregate: { type: 'ipam', id: 's' }, data: { port_id: 'p1' } }), { resource: 'p1' })).toBe(true);
    expect(auditMatches(event({}), { resource: 'p2' })).toBe(false);
  });

  it('matches by request id, type prefix and project', () => {
    expect(auditMatches(event({}), { requestId: 'req-1', type: 'port', project: 'proj' })).toBe(true);
    expect(auditMatches(event({}), { requestId: 'req-2' })).toBe(false);
    expect(auditMatches(event({}), { type: 'network' })).toBe(false);
    expect(auditMatches(event({}), { project: 'other' })).toBe(false);
  });
});
