import * as fs from 'node:fs';
import * as path from 'node:path';
import { workspaceRoot } from './entrypoints';

/** The API front's config: infra/haproxy/api.cfg with a `server` line per gateway. */
export const apiFrontTemplate = (): string => path.join(workspaceRoot(), 'infra/haproxy/api.cfg');

export interface GatewayBackend {
  name: string;
  host: string;
  port: number;
}

/** infra/haproxy/api.cfg with the gateways appended to its backend (the file's last section). */
export function renderApiFront(backends: GatewayBackend[], template = fs.readFileSync(apiFrontTemplate(), 'utf8')): string {
  const at = template.search(/^backend api-gateways$/m);
  if (at < 0 || /^(global|defaults|frontend|backend|listen)\b/m.test(template.slice(at).split('\n').slice(1).join('\n')) || !template.endsWith('\n')) {
    throw new Error('infra/haproxy/api.cfg: `backend api-gateways` must be its last section');
  }
  return template + backends.map((b) => `  server ${b.name} ${b.host}:${b.port} check\n`).join('');
}

/** Every gateway on loopback: `count` ports after the front's. */
export function gatewayBackends(frontPort: number, count: number): GatewayBackend[] {
  return Array.from({ length: count }, (_, i) => ({ name: `gateway${i + 1}`, host: '127.0.0.1', port: frontPort + 1 + i }));
}
