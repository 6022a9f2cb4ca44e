import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { H } from '@neutrino/metadata';
import type { Logger } from '@neutrino/observability';
import type { MetadataView } from '../view/metadata-view';
import { NO_INSTANCE, forward, upstreamHeaders, type Answer } from './upstream';

export interface SocketServerOptions {
  socketPath: string;
  /** The metadata API (embedded metadata-service or a real Nova). */
  metadataUrl: string;
  secret: string;
  logger: Logger;
}

const first = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] : (v ?? '')).split(',')[0].trim();

const readBody = (req: http.IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1024 * 1024) req.destroy(new Error('request body over 1 MiB'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * The agent's end of the metadata path: HTTP on a unix socket that only the
 * host's namespace proxies reach. Each request is pinned to one instance
 * (source address + network or router → port → device_id) and sent on to the
 * metadata API with that identity, signed (spec/metadata.md §5).
 */
export function createSocketServer(view: MetadataView, o: SocketServerOptions): http.Server {
  return http.createServer((req, res) => {
    const reply = (a: Answer) => {
      res.writeHead(a.status, { ...a.headers, 'content-length': a.body.length });
      res.end(a.body);
    };
    void (async () => {
      const asker = { ip: first(req.headers[H.forwardedFor]), routerId: first(req.headers[H.routerId]) || undefined, networkId: first(req.headers[H.networkId]) || undefined };
      const hit = view.lookup(asker);
      const body = await readBody(req);
      if (!hit.found) {
        o.logger.warn({ ...asker, reason: hit.reason, path: req.url }, 'metadata request from an unknown instance');
        return reply(NO_INSTANCE());
      }
      const who = { ip: asker.ip, instanceId: hit.instanceId, tenantId: hit.tenantId };
      const a = await forward(o.metadataUrl, req.method ?? 'GET', req.url ?? '/', upstreamHeaders(req.headers, who, o.secret), body);
      o.logger.debug({ ...asker, instance: who.instanceId, path: req.url, status: a.status }, 'metadata request');
      if (a.status >= 500 || a.status === 403) o.logger.warn({ ...asker, instance: who.instanceId, path: req.url, status: a.status }, a.body.toString().trim());
      reply(a);
    })().catch((err) => {
      o.logger.error({ err }, 'metadata request failed');
      if (!res.headersSent) reply({ status: 500, headers: { 'content-type': 'text/plain' }, body: Buffer.from('Internal Server Error\n') });
    });
  });
}

/** Listen on the socket (a stale socket file from an earlier run is removed first), mode 0600: only root, as the namespace proxies run, may connect. */
export async function listenOnSocket(server: http.Server, socketPath: string): Promise<void> {
  fs.mkdirSync(path.dirname(socketPath), { recursive: true });
  fs.rmSync(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  fs.chmodSync(socketPath, 0o600);
}
