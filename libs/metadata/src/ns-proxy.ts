import * as http from 'node:http';
import { H, TRUSTED_HEADERS } from './headers';
import type { ProxyArgs } from './proxy-args';

/** Headers of one hop only (RFC 9110 §7.6.1), never passed on. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade'];

/** The instance's address as the namespace sees it (an IPv4 peer of a dual-stack socket shows as ::ffff:a.b.c.d). */
export const clientIp = (remote: string | undefined): string => (remote ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/**
 * The headers sent to the metadata agent: the instance's own, minus hop-by-hop
 * ones and any it sent under our trusted names, plus X-Forwarded-For (its
 * source address) and X-Neutron-Router-ID or X-Neutron-Network-ID (spec/metadata.md §5.1).
 */
export function agentHeaders(incoming: http.IncomingHttpHeaders, client: string, a: Pick<ProxyArgs, 'routerId' | 'networkId'>): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(incoming)) {
    if (v === undefined || HOP_BY_HOP.includes(k) || TRUSTED_HEADERS.includes(k)) continue;
    out[k] = v;
  }
  out[H.forwardedFor] = client;
  if (a.routerId) out[H.routerId] = a.routerId;
  else out[H.networkId] = a.networkId;
  out.connection = 'close';
  return out;
}

const answer = (res: http.ServerResponse, status: number, text: string) => {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end(text);
};

/**
 * The proxy that runs inside a router or DHCP namespace: every request goes
 * to the host's metadata agent over its unix socket (spec/metadata.md §2
 * step 3) and the answer comes back as it is; 500 when the agent cannot be reached (§5.6).
 */
export function createNsProxy(a: ProxyArgs): http.Server {
  return http.createServer((req, res) => {
    const upstream = http.request(
      { socketPath: a.socketPath, method: req.method, path: req.url, headers: agentHeaders(req.headers, clientIp(req.socket.remoteAddress), a) },
      (up) => {
        const headers = { ...up.headers };
        for (const h of HOP_BY_HOP) delete headers[h];
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    upstream.setTimeout(30_000, () => upstream.destroy(new Error('metadata agent timed out')));
    upstream.on('error', () => answer(res, 500, 'Internal Server Error: the metadata agent could not be reached\n'));
    req.pipe(upstream);
  });
}
