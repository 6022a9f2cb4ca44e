import pino, { type Logger } from 'pino';

/** One JSON logger per process; children carry the service name and request ids. */
export function createLogger(service: string, level = process.env.NEUTRINO_LOG_LEVEL || 'info'): Logger {
  return pino({ name: service, level, base: { service, pid: process.pid } });
}

export type { Logger };
