import * as os from 'node:os';
import { setting } from '@neutrino/config';

/** What every agent knows about the host it runs for (documented in docs/configuration.md). */
export interface AgentHostConfig {
  host: string;
  /** The host's network namespace when the host is itself a namespace (test bed); '' = this machine. */
  hostNetns: string;
  /** Prefix of the namespaces the agent creates (`<prefix>qdhcp-…`, `<prefix>qrouter-…`). */
  netnsPrefix: string;
  driver: 'linux' | 'memory';
}

export function agentHostConfig(env: NodeJS.ProcessEnv = process.env): AgentHostConfig {
  const driver = setting('dataplaneDriver', env) || (process.getuid?.() === 0 ? 'linux' : 'memory');
  if (driver !== 'linux' && driver !== 'memory') throw new Error(`NEUTRINO_DATAPLANE_DRIVER must be linux or memory, not ${driver}`);
  return { host: setting('host', env) || os.hostname(), hostNetns: setting('hostNetns', env), netnsPrefix: setting('netnsPrefix', env), driver };
}

/** A yes/no setting's text. */
export const settingFlag = (v: string): boolean => ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase());
