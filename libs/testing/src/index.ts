export { freePort } from './lib/free-port';
export { startNats, restartNats } from './lib/nats-server';
export type { NatsServer, StartNatsOptions, RestartOptions } from './lib/nats-server';
export { waitForJetStream } from './lib/wait-ready';
export { waitFor } from './lib/wait-for';
export { trackedPids } from './lib/child-reaper';
export { findNatsServer } from './lib/find-binary';
export { childPids } from './lib/child-pids';
export { prng } from './lib/prng';
