import { createHash } from 'node:crypto';

/** A name-based UUID (version 5 layout over SHA-1), stable for the same input. */
export function nameUuid(name: string): string {
  const h = createHash('sha1').update(`neutrino:${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** An agent's id: the same host and binary always get the same id, so a restart is the same agent. */
export const agentId = (host: string, binary: string): string => nameUuid(`agent:${host}:${binary}`);
