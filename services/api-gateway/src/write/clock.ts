import { randomUUID } from 'node:crypto';

/** Neutron's timestamp form: ISO-8601 UTC to the second. */
export const nowIso = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
export const newId = (): string => randomUUID();
