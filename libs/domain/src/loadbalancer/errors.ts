/**
 * Octavia's API exceptions (octavia/common/exceptions.py), message for
 * message. The gateway renders them as Octavia's fault body on /v2/lbaas and
 * as a NeutronError on /v2.0/lbaas; the type is Octavia's exception name.
 */
import { NeutronError } from '../errors';

/** Octavia's names for the objects in messages ("Load Balancer <id> could not be found."). */
export const LB_KIND_NAMES = {
  loadbalancer: 'Load Balancer',
  listener: 'Listener',
  pool: 'Pool',
  member: 'Member',
  healthmonitor: 'Health Monitor',
} as const;
export type LbKind = keyof typeof LB_KIND_NAMES;

export const lbNotFound = (kind: LbKind | 'subnet' | 'network' | 'port', id: string) =>
  new NeutronError(404, 'NotFound', `${kind === 'subnet' ? 'Subnet' : kind === 'network' ? 'Network' : kind === 'port' ? 'Port' : LB_KIND_NAMES[kind]} ${id} could not be found.`);

export const immutable = (kind: LbKind, id: string) =>
  new NeutronError(409, 'ImmutableObject', `${LB_KIND_NAMES[kind]} ${id} is immutable and cannot be updated.`);

/** wsme's type errors, as Octavia answers them. */
export const invalidField = (field: string, value: unknown, reason: string) =>
  new NeutronError(400, 'InvalidInput', `Invalid input for field/attribute ${field}. Value: '${typeof value === 'string' ? value : JSON.stringify(value)}'. ${reason}`);

export const unknownAttribute = (resource: string, field: string) =>
  new NeutronError(400, 'InvalidInput', `Unknown attribute for argument ${resource}: ${field}`);

export const missingBody = (resource: string) => new NeutronError(400, 'InvalidInput', `Missing argument: "${resource}"`);

export const mandatory = (field: string) => new NeutronError(400, 'InvalidInput', `Invalid input for field/attribute ${field}. Value: 'Unset'. Mandatory field missing.`);

export const validation = (detail: string) => new NeutronError(400, 'ValidationException', `Validation failure: ${detail}`);

export const invalidOption = (value: unknown, option: string) =>
  new NeutronError(400, 'InvalidOption', `${String(value)} is not a valid option for ${option}`);

export const duplicateListener = (port: number) =>
  new NeutronError(409, 'DuplicateListenerEntry', `Another Listener on this Load Balancer is already using protocol_port ${port}`);

export const duplicateMonitor = () => new NeutronError(409, 'DuplicateHealthMonitor', 'This pool already has a health monitor');

export const duplicateMember = (address: string, port: number) =>
  new NeutronError(409, 'DuplicateMemberEntry', `Another member on this pool is already using ip ${address} on protocol_port ${port}`);

export const duplicatePoolForListener = (listenerId: string) =>
  new NeutronError(409, 'DuplicatePoolEntry', `Listener ${listenerId} already has a default pool`);

export const protocolMismatch = (listenerProtocol: string, poolProtocol: string) =>
  new NeutronError(400, 'ValidationException', `Validation failure: The pool protocol '${poolProtocol}' is invalid while the listener protocol is '${listenerProtocol}'.`);

export const providerNotFound = (provider: string) =>
  new NeutronError(400, 'ProviderNotFound', `Provider '${provider}' was not found. This deployment serves only the 'haproxy' provider (the lbaas-agent's HAProxy).`);

export const flavorsUnsupported = () =>
  new NeutronError(400, 'ValidationException', 'Validation failure: flavor_id must be absent or null: this deployment has no flavors.');

export const forbidden = () => new NeutronError(403, 'PolicyForbidden', 'Policy does not allow this request to be performed.');

export const notImplemented = (what: string) => new NeutronError(501, 'NotImplemented', `${what} is not implemented by this deployment.`);
