import * as path from 'node:path';

/**
 * The metadata agent's unix socket on one host (Neutron: `<state_path>/metadata_proxy`).
 * Under the host name, so that the hosts of a test bed, which share a data
 * directory, each have their own. Unix socket paths are limited to 107 bytes.
 */
export function metadataSocketPath(dataDir: string, host: string, override = ''): string {
  const p = override || path.join(dataDir, 'metadata', host, 'metadata_proxy');
  if (Buffer.byteLength(p) > 107) throw new Error(`metadata socket path too long for a unix socket (${p}); set NEUTRINO_METADATA_PROXY_SOCKET`);
  return p;
}
