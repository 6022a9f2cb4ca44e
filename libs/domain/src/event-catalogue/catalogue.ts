import type { AgentEventType } from '../agent/events';
import { aggregateOf, type CoreEventType } from '../events';
import generated from './schemas.json';

/** Every event type of the log: the core API's and the host agents'. */
export type EventType = CoreEventType | AgentEventType;

type JsonSchema = Record<string, unknown>;

interface GeneratedCatalogue {
  $defs: Record<string, JsonSchema>;
  events: Record<string, { description: string; data: JsonSchema }>;
}

/**
 * The catalogue's JSON Schemas, generated from the TypeScript types of
 * CoreEventData and AgentEventData by `neutrino events schemas` (a test fails
 * when this file is stale).
 */
const catalogue = generated as GeneratedCatalogue;

/**
 * The schema version of each type's `data` that writers append today (an
 * absent type is at 1). A change of a type's data shape bumps it here and
 * registers an upcaster from the old version (EventStore.registerUpcaster).
 */
export const SCHEMA_VERSIONS: Readonly<Partial<Record<EventType, number>>> = {};

/** What the id token of each aggregate's subject (evt.<aggregate>.<id>) is. */
export const AGGREGATE_IDS: Readonly<Record<string, string>> = {
  network: 'the network id',
  subnet: 'the subnet id',
  port: 'the port id',
  security_group: 'the security group id',
  router: 'the router id',
  floatingip: 'the floating IP id',
  loadbalancer: 'the load balancer id (its listeners, pools, members and health monitors too)',
  lbmonitor: 'the LBaaS v1 health monitor id',
  firewall: '`fwaas`, one subject for every FWaaS v2 object',
  vpn: 'the project id of the VPN objects',
  ipam: 'the subnet id (ip.*), the network id (mac.*) or the segment range (segment.*: seg-vxlan, seg-vlan-<physnet>, seg-flat-<physnet>)',
  quota: 'the project id',
  bulk: 'the bulk create id',
  address_scope: 'the address scope id',
  address_group: 'the address group id',
  qos_policy: 'the QoS policy id (its rules too)',
  trunk: '`trunks`, one subject for every trunk',
  subnetpool: 'the subnet pool id, or the uuid5 of `default-subnetpool-ipv4` / `-ipv6` for default_claimed / default_released',
  agent: 'the agent id',
};

export const EVENT_TYPES: readonly EventType[] = Object.keys(catalogue.events) as EventType[];

export const isEventType = (type: string): type is EventType => Object.prototype.hasOwnProperty.call(catalogue.events, type);

/** The aggregate (the subject's second token) an event type is appended to. */
export const subjectAggregateOf = (type: EventType): string => (type.startsWith('agent.') ? 'agent' : aggregateOf(type as CoreEventType));

export const schemaVersionOf = (type: EventType): number => SCHEMA_VERSIONS[type] ?? 1;

/** The type's doc comment in the catalogue ('' when it has none). */
export const eventDescriptionOf = (type: EventType): string => catalogue.events[type].description;

/** The JSON Schema of one type's `data`; `#/$defs/…` refer to eventSchemaDefs(). */
export const eventDataSchemaOf = (type: EventType): JsonSchema => catalogue.events[type].data;

/** The named shapes (Network, Port, …) the data schemas refer to. */
export const eventSchemaDefs = (): Record<string, JsonSchema> => catalogue.$defs;

const ISO_UTC = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$';
const nullableString = { type: ['string', 'null'] };

/**
 * The JSON Schema (draft 2020-12, self-contained) of one event type's message
 * body on the stream: the envelope with this type, its schema version and
 * aggregate fixed, and its data.
 */
export function eventSchemaOf(type: EventType): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: type,
    type: 'object',
    required: ['id', 'type', 'schema', 'aggregate', 'at', 'actor', 'request_id', 'causation_id', 'data'],
    properties: {
      id: { description: 'uuid, also the Nats-Msg-Id of its publish', type: 'string', minLength: 1 },
      type: { const: type },
      schema: { description: 'schema version of data', const: schemaVersionOf(type) },
      aggregate: {
        type: 'object',
        required: ['type', 'id'],
        properties: { type: { const: subjectAggregateOf(type) }, id: { type: 'string', pattern: '^[^\\s.*>]+$' } },
        additionalProperties: false,
      },
      at: { description: 'when it was decided, ISO-8601 UTC', type: 'string', pattern: ISO_UTC },
      actor: {
        type: 'object',
        required: ['user_id', 'project_id', 'roles'],
        properties: { user_id: nullableString, project_id: nullableString, roles: { type: 'array', items: { type: 'string' } } },
        additionalProperties: false,
      },
      request_id: { description: 'X-Openstack-Request-Id of the API request (null for agents and background work)', ...nullableString },
      causation_id: { description: 'the id of the event that caused this one, if any', ...nullableString },
      data: eventDataSchemaOf(type),
    },
    additionalProperties: false,
    $defs: catalogue.$defs,
  };
}
