import * as os from 'node:os';
import { dataDir, setting } from '@neutrino/config';
import { metadataSharedSecret, metadataSocketPath } from '@neutrino/metadata';

export interface MetadataAgentConfig {
  host: string;
  socketPath: string;
  metadataUrl: string;
  secret: string;
}

/** The metadata agent's settings (documented in docs/configuration.md). */
export function agentConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MetadataAgentConfig {
  const host = setting('host', env) || os.hostname();
  const dir = dataDir(env);
  return {
    host,
    socketPath: metadataSocketPath(dir, host, setting('metadataProxySocket', env)),
    metadataUrl: (setting('metadataUrl', env) || `http://${setting('metadataHost', env)}:${setting('metadataPort', env)}`).replace(/\/+$/, ''),
    secret: metadataSharedSecret(dir, setting('metadataProxySharedSecret', env)),
  };
}
