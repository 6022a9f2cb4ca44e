import * as os from 'node:os';
import { intSetting, setting } from '@neutrino/config';

export interface L3Config {
  host: string;
  /** The host's network namespace when the host is itself a namespace (test bed); '' = this machine. */
  hostNetns: string;
  /** Prefix of the namespaces this agent creates (`<prefix>qrouter-<router>`). */
  netnsPrefix: string;
  enableMetadataProxy: boolean;
  keepalivedBin: string;
  haStatePollMs: number;
  driver: 'linux' | 'memory';
}

const bool = (v: string): boolean => ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase());

/** The l3-agent's settings (documented in docs/configuration.md). */
export function l3ConfigFromEnv(env: NodeJS.ProcessEnv = process.env): L3Config {
  const driver = setting('dataplaneDriver', env) || (process.getuid?.() === 0 ? 'linux' : 'memory');
  if (driver !== 'linux' && driver !== 'memory') throw new Error(`NEUTRINO_DATAPLANE_DRIVER must be linux or memory, not ${driver}`);
  return {
    host: setting('host', env) || os.hostname(),
    hostNetns: setting('hostNetns', env),
    netnsPrefix: setting('netnsPrefix', env),
    enableMetadataProxy: bool(setting('enableMetadataProxy', env)),
    keepalivedBin: setting('keepalivedBin', env),
    haStatePollMs: intSetting('haStatePollMs', env),
    driver,
  };
}
