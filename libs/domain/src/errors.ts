/**
 * A failure the API reports to the caller, in Neutron's terms: the HTTP status,
 * the exception type name Neutron uses, and a message a person can act on.
 * Rendered by the gateway as {"NeutronError": {"type", "message", "detail"}}.
 */
export class NeutronError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly detail = '',
  ) {
    super(message);
    this.name = 'NeutronError';
  }
}

export const badRequest = (resource: string, msg: string) =>
  new NeutronError(400, 'BadRequest', `Bad ${resource} request: ${msg}.`);
export const invalidInput = (msg: string) =>
  new NeutronError(400, 'InvalidInput', `Invalid input for operation: ${msg}.`);
export const policyNotAuthorized = (action: string) =>
  new NeutronError(403, 'PolicyNotAuthorized', `(rule:${action}) is disallowed by policy`);
export const notFound = (type: string, message: string) => new NeutronError(404, type, message);
export const conflict = (type: string, message: string) => new NeutronError(409, type, message);
