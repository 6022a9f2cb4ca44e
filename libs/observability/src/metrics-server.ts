import * as http from 'node:http';
import type { Metrics } from './metrics';

/** Serves GET /metrics for Prometheus on 127.0.0.1:port. */
export function serveMetrics(metrics: Metrics, port: number, host = '127.0.0.1'): http.Server {
  const server = http.createServer((req, res) => {
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
