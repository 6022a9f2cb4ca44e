import * as http from 'node:http';
import type { Metrics } from './metrics';

/** A health check's answer: 200 when `status` is 'ok', 503 otherwise, the object as JSON either way. */
export type HealthCheck = () => { status: string };

/** Serves GET /metrics for Prometheus on 127.0.0.1:port, and GET /healthz when given a check. */
export function serveMetrics(metrics: Metrics, port: number, host = '127.0.0.1', health?: HealthCheck): http.Server {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz' && health) {
      let body: ReturnType<HealthCheck>;
      try {
        body = health();
      } catch (err) {
        body = { status: 'failing', error: String((err as Error)?.message ?? err) } as ReturnType<HealthCheck>;
      }
      res.writeHead(body.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metrics
      .text()
      .then((text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text))
      .catch(() => res.writeHead(500).end());
  });
  server.listen(port, host);
  server.unref();
  return server;
}
