import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Entrypoints {
  root: string;
  /** node -r script that maps @neutrino/* to dist/ at run time. */
  register: string;
  /** node -r script that stops a service whose supervisor is gone. */
  supervised: string;
  /** The process that hosts ipam, the gateway and the metadata service together (tools/runtime/controller.js). */
  controller: string;
  services: Record<'api-gateway' | 'ipam', string>;
  cli: string;
}

/** The workspace root: the nearest folder above `from` holding nx.json. */
export function workspaceRoot(from = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'nx.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no nx.json above ${from}`);
  }
}

/** Where the compiled services and the CLI live (tools/runtime/entrypoints.js says). */
export function loadEntrypoints(): Entrypoints {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(workspaceRoot(), 'tools/runtime/entrypoints.js')) as Entrypoints;
}
