export * from './jetstream-ready';
export * from './managed-process';
export * from './nats-binary';
export * from './suite';
export * from './entrypoints';
export * from './ports-free';
export * from './nats-cluster';
export * from './gateway-front';
