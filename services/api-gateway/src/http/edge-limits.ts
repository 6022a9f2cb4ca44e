import { NeutronError, bodyTooDeep, jsonDeeperThan, MAX_JSON_DEPTH, parseIfMatch } from '@neutrino/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';

/** What Node's HTTP parser reports (rawPacket: the bytes it had read). */
export interface ClientError extends Error {
  code?: string;
  rawPacket?: unknown;
}

/** eventlet.wsgi's MAX_REQUEST_LINE: Neutron answers 414 to a longer request line. */
export const MAX_URL_LENGTH = 8192;

/**
 * What the gateway takes from a request body before any handler runs: JSON
 * that parses is checked for depth (a 10,000-level body would overflow every
 * recursive walk after it) and handed on parsed; a body that does not parse
 * is handed on as text for the handler to refuse with Neutron's message.
 */
export function acceptBody(raw: string): unknown {
  if (raw === '') return raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return raw;
  }
  if (jsonDeeperThan(parsed, MAX_JSON_DEPTH)) throw bodyTooDeep();
  // Only containers are handed on parsed: a JSON string must not be parsed twice.
  return typeof parsed === 'object' && parsed !== null ? parsed : raw;
}

/** The checks Neutron's pecan hooks make on every request before routing to a resource. */
export function checkRequestLine(url: string, ifMatch: string | string[] | undefined): void {
  if (url.length > MAX_URL_LENGTH) throw uriTooLong();
  if (url.startsWith('/v2.0/')) parseIfMatch(ifMatch);
}

const uriTooLong = () => new NeutronError(414, 'HTTPRequestURITooLong', 'The request URI was too long for this server.');

/** The NeutronError body of a refusal the HTTP parser makes before Fastify sees a request (431, 414, 408, 400). */
export function clientErrorAnswer(err: ClientError): NeutronError {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const raw = err.rawPacket;
    const packet = Buffer.isBuffer(raw) ? raw.toString('latin1') : '';
    const eol = packet.indexOf('\r\n');
    if (eol < 0 || eol > MAX_URL_LENGTH) return uriTooLong();
    return new NeutronError(431, 'HTTPRequestHeaderFieldsTooLarge', 'The request header fields were too large.');
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new NeutronError(408, 'HTTPRequestTimeout', 'The server timed out waiting for the request.');
  return new NeutronError(400, 'HTTPBadRequest', 'The server could not comply with the request since it is either malformed or otherwise incorrect.');
}

/** Fastify's clientErrorHandler: Neutron's body, then the connection is closed. */
export function answerClientError(err: ClientError, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const e = clientErrorAnswer(err);
  const body = JSON.stringify({ NeutronError: { type: e.type, message: e.message, detail: e.detail } });
  socket.end(
    `HTTP/1.1 ${e.status} ${REASONS[e.status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' };

/** Fastify's frameworkErrors (a path that does not decode, FST_ERR_BAD_URL): Neutron's 400 body, not Fastify's. */
export function answerFrameworkError(_err: Error, _req: FastifyRequest, reply: FastifyReply): void {
  const e = new NeutronError(400, 'HTTPBadRequest', 'The server could not comply with the request since it is either malformed or otherwise incorrect.');
  reply.code(400).type('application/json').send(JSON.stringify({ NeutronError: { type: e.type, message: e.message, detail: e.detail } }));
}
