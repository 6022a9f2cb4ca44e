import { AGGREGATE_IDS, EVENT_TYPES, eventDataSchemaOf, eventDescriptionOf, eventSchemaDefs, schemaVersionOf, subjectAggregateOf, type EventType } from '@neutrino/domain';
import { DEFAULT_STREAM, DUPLICATE_WINDOW_MS, EVENT_SUBJECTS } from '@neutrino/events';

type Schema = Record<string, any>;

const anchor = (name: string) => name.toLowerCase().replace(/[^a-z0-9_-]/g, '');
const cell = (s: string) => s.replace(/\|/g, '\\|');

/** A schema as a short type expression: `string | null`, `[Port](#port)[]`, `'active' \| 'standby'`. */
export function typeExpr(s: Schema): string {
  if (s.$ref) {
    const name = String(s.$ref).replace('#/$defs/', '');
    return `[${name}](#${anchor(name)})`;
  }
  if ('const' in s) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
  if (s.anyOf) return s.anyOf.map(typeExpr).join(' | ');
  if (Array.isArray(s.type)) return s.type.join(' | ');
  if (s.type === 'array') return s.prefixItems ? `[${s.prefixItems.map(typeExpr).join(', ')}]` : `${typeExpr(s.items ?? {})}[]`;
  if (s.type === 'object') {
    if (s.properties) return 'object';
    return s.additionalProperties && Object.keys(s.additionalProperties).length ? `map of ${typeExpr(s.additionalProperties)}` : 'object';
  }
  return s.type ?? 'any';
}

/** The rows of a fields table: each property (nested objects one level down, as `a.b`). */
function fieldRows(s: Schema, prefix = '', depth = 0): string[] {
  if (s.$ref || s.type !== 'object' || !s.properties) return [];
  const req = new Set<string>(s.required ?? []);
  const rows: string[] = [];
  for (const [name, p] of Object.entries<Schema>(s.properties)) {
    const path = `${prefix}${name}`;
    rows.push(`| \`${path}\` | ${cell(typeExpr(p))} | ${req.has(name) ? 'yes' : 'no'} | ${cell(p.description ?? '')} |`);
    if (depth < 1) rows.push(...fieldRows(p, `${path}.`, depth + 1));
  }
  return rows;
}

const table = (s: Schema): string[] => {
  const rows = fieldRows(s);
  if (!rows.length) return [`Data: ${typeExpr(s)}.`];
  return ['| Field | Type | Required | Meaning |', '|---|---|---|---|', ...rows];
};

const subjectOfType = (t: EventType) => `evt.${subjectAggregateOf(t)}.<id>`;

const HEAD = (stream: string) => `# The event log: a public contract

Every change Neutrino makes is a domain event in one JetStream stream; agents,
projections, audit tooling and outside subscribers read the same log. This page
is generated from the code (\`neutrino events docs > docs/events.md\`): the
catalogue's TypeScript types (\`CoreEventData\` in libs/domain/src/events.ts,
\`AgentEventData\` in libs/domain/src/agent/events.ts), from which
\`neutrino events schemas\` generates the JSON Schemas in
libs/domain/src/event-catalogue/schemas.json. A test fails when either is stale,
and \`neutrino events check\` validates every stored event of a log against
its schema (the e2e test event-contract runs it over a broad run of API calls).
\`neutrino events schema <type>\` prints one type's whole JSON Schema (draft
2020-12, self-contained), \`neutrino events follow [--type T] [--from SEQ|--since
TIME] [--json]\` tails the log in stream order, and docs/examples/subscriber.mjs
is a durable consumer in a few lines with only the \`nats\` package.

## The stream

- Stream \`${stream}\` (setting \`NEUTRINO_STREAM\`), subjects \`${EVENT_SUBJECTS}\`, file storage, limits
  retention with no age, count or size limit: events are facts, never edited or purged. The
  retention rule (\`neutrino log compact\`) may move what every snapshot covers to the archive
  (a JetStream object store); the project's readers read the archive first, an outside consumer
  of the stream sees only what is left in it.
- One subject per aggregate, \`evt.<aggregate>.<id>\`; a subscriber picks what it reads with a
  subject filter (\`evt.port.*\`, \`evt.router.>\`).
- The stream sequence is an event's global position; it is not in the body (a consumer reads it
  from the message's metadata).

Every message body is one JSON envelope:

| Field | Type | Meaning |
|---|---|---|
| \`id\` | string | uuid of the event, also its \`Nats-Msg-Id\` |
| \`type\` | string | past tense and dotted, e.g. \`port.created\` (the catalogue below) |
| \`schema\` | number | schema version of \`data\` for that type |
| \`aggregate\` | \`{type, id}\` | the subject is \`evt.<aggregate.type>.<aggregate.id>\` |
| \`at\` | string | when it was decided, ISO-8601 UTC (\`2026-01-01T00:00:00.000Z\`) |
| \`actor\` | \`{user_id, project_id, roles}\` | who caused it (agents: \`agent:<binary>@<host>\`, role \`service\`) |
| \`request_id\` | string \\| null | the API request's \`X-Openstack-Request-Id\` |
| \`causation_id\` | string \\| null | the event that caused it, if any |
| \`data\` | object | the type's fields (below) |

## Ordering and delivery

- **Per subject, total order.** Writers append with \`Nats-Expected-Last-Subject-Sequence\`: the
  subject's last sequence must be the one the decision was made on, else the publish is refused
  and the command is decided again on fresh state. So the events of one aggregate are in the
  order they were decided, and no event was decided on a stale view of its aggregate. Several
  events of one decision are appended one after the other, each expecting the previous one's
  sequence (JetStream 2.9 has no atomic batch: a failure part-way leaves the first ones stored).
- **Across subjects,** the stream sequence is one total order that every reader sees alike; events
  of different aggregates carry no order beyond it (e.g. \`ip.allocated\` on \`evt.ipam.<subnet>\`
  comes before the \`port.created\` that uses it).
- **Dedupe of retries.** \`Nats-Msg-Id\` is the event's id; the server drops a second publish with
  the same id within the stream's duplicate window (${DUPLICATE_WINDOW_MS / 1000} s), so a writer that retries a
  publish whose answer it lost stores the event once.
- **Consumers get at-least-once.** A durable consumer with explicit acks is redelivered what it
  did not ack (after its ack wait); handlers must be idempotent — keep the last applied stream
  sequence with the state it produced and skip anything at or below it. With
  \`max_ack_pending: 1\` redeliveries keep stream order. The project's own readers use ordered
  ephemeral consumers from a checkpoint (the stream sequence kept in the projection's
  transaction), checking for gaps and re-creating the consumer after one.

## Schema versions and upcasting

Every envelope carries \`schema\`, the version of its \`data\`; a reader that finds none takes 1.
Each type's current version is \`SCHEMA_VERSIONS\` in libs/domain/src/event-catalogue/catalogue.ts
(a type absent from it is at 1). A change of a type's data shape bumps the version there,
changes the type in the catalogue (and so its generated schema), and registers an upcaster from
the old version with \`EventStore.registerUpcaster(type, fromSchema, fn)\`
(libs/events/src/lib/upcasters.ts): reads apply the upcasters of a type step by step (v1 → v2 → …)
until none matches, so handlers only ever see the latest shape; stored events are never
rewritten. Outside subscribers read the stored bytes, so they see the version each event was
written with and must accept every version this page has listed. Today every type is at
version 1 and no upcaster is registered.

## Subjects

| Aggregate | Subject | The id token is | Event types |
|---|---|---|---|
`;

/** docs/events.md: the envelope, the guarantees, and every event type with its subject, version and fields. */
export function renderEventsDoc(stream = DEFAULT_STREAM): string {
  const out: string[] = [HEAD(stream).trimEnd()];
  const byAggregate = new Map<string, EventType[]>();
  for (const t of EVENT_TYPES) byAggregate.set(subjectAggregateOf(t), [...(byAggregate.get(subjectAggregateOf(t)) ?? []), t]);
  for (const [agg, types] of byAggregate) {
    const id = AGGREGATE_IDS[agg];
    if (!id) throw new Error(`AGGREGATE_IDS has no entry for ${agg}`);
    out.push(`| ${agg} | \`evt.${agg}.<id>\` | ${cell(id)} | ${types.length} |`);
  }
  out.push('', '## Event types', '', '| Type | Subject | Schema |', '|---|---|---|');
  for (const t of EVENT_TYPES) out.push(`| [\`${t}\`](#${anchor(t)}) | \`${subjectOfType(t)}\` | ${schemaVersionOf(t)} |`);
  for (const t of EVENT_TYPES) {
    out.push('', `### ${t}`, '', `Subject \`${subjectOfType(t)}\`, schema ${schemaVersionOf(t)}.`);
    const d = eventDescriptionOf(t);
    if (d) out.push('', d);
    out.push('', ...table(eventDataSchemaOf(t)));
  }
  out.push('', '## Shapes', '', 'The named shapes that event data refers to (objects admit no other field).');
  for (const [name, s] of Object.entries<Schema>(eventSchemaDefs())) {
    out.push('', `### ${name}`, '');
    if (s.description) out.push(s.description, '');
    out.push(...table(s));
  }
  return `${out.join('\n')}\n`;
}
