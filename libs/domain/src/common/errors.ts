/** Constructors for the exact errors Neutron's API layer raises before a plugin sees the request. */
import { NeutronError } from '../errors';

/** webob.exc.HTTPBadRequest(msg): type "HTTPBadRequest", message as given. */
export const httpBadRequest = (msg: string) => new NeutronError(400, 'HTTPBadRequest', msg);
/** webob.exc.HTTPForbidden(msg). */
export const httpForbidden = (msg: string) => new NeutronError(403, 'HTTPForbidden', msg);
/** webob.exc.HTTPNotFound — what the policy layer answers when the caller may not even see the target. */
export const httpNotFound = () => new NeutronError(404, 'HTTPNotFound', 'The resource could not be found.');
/** A NeutronException subclass with its own message (the type is the class name). */
export const neutronError = (status: number, type: string, message: string) => new NeutronError(status, type, message);

export const networkNotFound = (id: string) => new NeutronError(404, 'NetworkNotFound', `Network ${id} could not be found.`);
export const subnetNotFound = (id: string) => new NeutronError(404, 'SubnetNotFound', `Subnet ${id} could not be found.`);
export const portNotFound = (id: string) => new NeutronError(404, 'PortNotFound', `Port ${id} could not be found.`);
