import * as fs from 'node:fs';
import * as path from 'node:path';
import { EVENT_TYPES, eventSchemaOf } from '@neutrino/domain';
import { renderEventsDoc } from './docs';
import { typeMatches } from './follow-format';
import { renderSchemasFile } from './schema-gen';
import { EventValidator } from './validate';

const REPO = path.resolve(__dirname, '../../../..');
const envelope = (type: string, aggregate: string, data: unknown) => ({
  id: 'e1', type, schema: 1, aggregate: { type: aggregate, id: 'x1' }, at: '2026-01-01T00:00:00.000Z',
  actor: { user_id: 'u', project_id: 'p', roles: ['member'] }, request_id: 'req-1', causation_id: null, data,
});

describe('the event catalogue as a contract', () => {
  it('libs/domain/src/event-catalogue/schemas.json is what `neutrino events schemas` generates from the types', () => {
    expect(fs.readFileSync(path.join(REPO, 'libs/domain/src/event-catalogue/schemas.json'), 'utf8')).toBe(renderSchemasFile(REPO));
  }, 60_000);

  it('docs/events.md is what `neutrino events docs` prints', () => {
    expect(fs.readFileSync(path.join(REPO, 'docs/events.md'), 'utf8')).toBe(renderEventsDoc());
  });

  it('documents every type with its subject, and every type has a schema', () => {
    const doc = renderEventsDoc();
    expect(EVENT_TYPES.length).toBeGreaterThan(100);
    for (const t of EVENT_TYPES) {
      expect(doc).toContain(`### ${t}\n`);
      expect(eventSchemaOf(t).title).toBe(t);
    }
  });

  it('accepts an event that matches its schema; names what is wrong with one that does not, or that has no schema', () => {
    const v = new EventValidator();
    expect(v.check(envelope('router.scheduled', 'router', { router_id: 'r1', hosts: ['h1', 'h2'] }))).toEqual([]);
    expect(v.check(envelope('router.scheduled', 'router', { router_id: 'r1', hosts: 'h1' }))).toEqual(['/data/hosts must be array']);
    expect(v.check(envelope('router.scheduled', 'network', { router_id: 'r1', hosts: [] }))).toEqual(['/aggregate/type must be equal to constant']);
    expect(v.check(envelope('router.ha_state_reported', 'router', { router_id: 'r1', host: 'h1', ha_state: 'master' }))).toEqual(['/data/ha_state must be equal to one of the allowed values']);
    expect(v.check({ ...envelope('router.deleted', 'router', { router_id: 'r1' }), schema: 2 })).toEqual(['/schema must be equal to constant']);
    expect(v.check({ ...envelope('router.deleted', 'router', { router_id: 'r1' }), at: 'yesterday' })).toEqual(['/at must match pattern "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$"']);
    expect(v.check({ ...envelope('router.deleted', 'router', { router_id: 'r1' }), seq: 4, subject: 'evt.router.other' })).toEqual(["stored on evt.router.other, not on its aggregate's subject"]);
    expect(v.check(envelope('router.renamed', 'router', {}))[0]).toMatch(/not in the catalogue/);
  });

  it('--type takes a type or a prefix', () => {
    expect(typeMatches('port.created', 'port.')).toBe(true);
    expect(typeMatches('port.created', 'port')).toBe(true);
    expect(typeMatches('port.created', 'port.created')).toBe(true);
    expect(typeMatches('portal.created', 'port')).toBe(false);
    expect(typeMatches('port.created', 'port.up')).toBe(false);
  });
});
