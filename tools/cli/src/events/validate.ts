import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { eventSchemaOf, isEventType } from '@neutrino/domain';
import type { EventEnvelope, StoredEvent } from '@neutrino/events';

/** What is wrong with one event (empty when it matches its type's schema). */
export interface EventProblem {
  seq?: number;
  type: string;
  problems: string[];
}

/**
 * Checks message bodies against the catalogue's JSON Schemas (ajv, draft
 * 2020-12). An event whose type the catalogue lacks is a problem too: every
 * type the code appends must be documented.
 */
export class EventValidator {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: true });
  private readonly byType = new Map<string, ValidateFunction>();

  check(e: EventEnvelope | StoredEvent): string[] {
    if (!isEventType(e.type)) return [`type ${JSON.stringify(e.type)} is not in the catalogue (libs/domain/src/events.ts or agent/events.ts): it has no schema`];
    let validate = this.byType.get(e.type);
    if (!validate) this.byType.set(e.type, (validate = this.ajv.compile(eventSchemaOf(e.type))));
    const { seq: _seq, subject, ...body } = e as StoredEvent;
    const problems: string[] = [];
    if (!validate(body)) for (const err of validate.errors ?? []) problems.push(`${err.instancePath || '/'} ${err.message}${err.params && 'additionalProperty' in err.params ? ` (${err.params.additionalProperty})` : ''}`);
    if (subject !== undefined && subject !== `evt.${e.aggregate?.type}.${e.aggregate?.id}`) problems.push(`stored on ${subject}, not on its aggregate's subject`);
    return problems;
  }
}
