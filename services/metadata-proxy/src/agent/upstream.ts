import * as http from 'node:http';
import * as https from 'node:https';
import { H, TRUSTED_HEADERS, signInstanceId } from '@neutrino/metadata';

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host'];

export interface Identity {
  ip: string;
  instanceId: string;
  tenantId: string;
}

/** Headers for the metadata API (spec/metadata.md §5.3): the instance's own minus trusted names, then ours, signed. */
export function upstreamHeaders(incoming: http.IncomingHttpHeaders, who: Identity, secret: string): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(incoming)) {
    if (v === undefined || HOP_BY_HOP.includes(k) || TRUSTED_HEADERS.includes(k) || k === 'content-length') continue;
    out[k] = v;
  }
  out[H.forwardedFor] = who.ip;
  out[H.instanceId] = who.instanceId;
  out[H.tenantId] = who.tenantId;
  out[H.signature] = signInstanceId(secret, who.instanceId);
  return out;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const text = (status: number, message: string): Answer => ({ status, headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: Buffer.from(message) });

/**
 * What the instance gets for the metadata API's answer, as Neutron's metadata
 * agent does it: 200 passes through with its content type; 400/404/409/502/503/504
 * keep their status; 403 (the secrets differ) stays 403; any other 5xx is 500;
 * anything else is an unexpected answer, 500.
 */
export function instanceAnswer(status: number, contentType: string | undefined, body: Buffer): Answer {
  if (status === 200) return { status, headers: contentType ? { 'content-type': contentType } : {}, body };
  if (status === 403) return text(403, 'Forbidden: the metadata API refused the request (do the shared secrets match?)\n');
  if ([400, 404, 409, 502, 503, 504].includes(status)) return text(status, `${http.STATUS_CODES[status]}\n`);
  if (status >= 500) return text(500, 'Remote metadata server experienced an internal server error.\n');
  return text(500, `Unexpected response code: ${status}\n`);
}

export const NO_INSTANCE = (): Answer => text(404, '404 Not Found\n\nThe resource could not be found.\n');
export const UNREACHABLE = (): Answer => text(500, 'An unknown error has occurred. Please try your request again.\n');

/** One request to the metadata API; never throws (an unreachable API is a 500 for the instance). */
export function forward(baseUrl: string, method: string, path: string, headers: http.OutgoingHttpHeaders, body: Buffer, timeoutMs = 30_000): Promise<Answer> {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = lib.request(url, { method, headers: { ...headers, 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(instanceAnswer(res.statusCode ?? 500, res.headers['content-type'], Buffer.concat(chunks))));
      res.on('error', () => resolve(UNREACHABLE()));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(UNREACHABLE()));
    req.end(body);
  });
}
