import { ArgumentsHost, Catch, HttpException, type ExceptionFilter, Inject } from '@nestjs/common';
import { NeutronError } from '@neutrino/domain';
import type { Logger } from '@neutrino/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOGGER } from '../app/tokens';
import { requestIdOf } from './request-context';

const HTTP_TYPES: Record<number, [string, string]> = {
  400: ['HTTPBadRequest', 'The server could not comply with the request since it is either malformed or otherwise incorrect.'],
  404: ['HTTPNotFound', 'The resource could not be found.'],
  405: ['HTTPMethodNotAllowed', 'The server could not comply with the request since it is either malformed or otherwise incorrect.'],
  408: ['HTTPRequestTimeout', 'The server timed out waiting for the request.'],
  411: ['HTTPLengthRequired', 'Content-Length header required.'],
  413: ['HTTPRequestEntityTooLarge', 'Request is too large.'],
  414: ['HTTPRequestURITooLong', 'The request URI was too long for this server.'],
  415: ['HTTPUnsupportedMediaType', 'The request media type is not supported by this server.'],
  431: ['HTTPRequestHeaderFieldsTooLarge', 'The request header fields were too large.'],
};

/** Every error leaves as {"NeutronError": {"type", "message", "detail"}} with Neutron's status code. */
@Catch()
export class NeutronErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly log: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const req = http.getRequest<FastifyRequest>();
    const { status, type, message, detail } = this.describe(err, req);
    reply
      .status(status)
      .header('content-type', 'application/json')
      .header('x-openstack-request-id', requestIdOf(req))
      .send(JSON.stringify({ NeutronError: { type, message, detail } }));
  }

  private describe(err: unknown, req: FastifyRequest) {
    if (err instanceof NeutronError) return { status: err.status, type: err.type, message: err.message, detail: err.detail };
    if (err instanceof HttpException) {
      const status = err.getStatus();
      const [type, message] = HTTP_TYPES[status] ?? ['HTTPError', err.message];
      return { status, type, message, detail: '' };
    }
    const e = err as { statusCode?: number; message?: string };
    if (e?.statusCode && e.statusCode < 500) {
      const [type, message] = HTTP_TYPES[e.statusCode] ?? HTTP_TYPES[400];
      return { status: e.statusCode, type, message, detail: '' };
    }
    this.log.error({ err, request_id: requestIdOf(req), url: req.url }, 'request failed');
    return { status: 500, type: 'HTTPInternalServerError', message: 'Request Failed: internal server error while processing your request.', detail: '' };
  }
}
