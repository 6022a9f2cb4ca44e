export * from './agent-identity';
export * from './agent-metrics';
export * from './agent-record';
export * from './agent-runner';
export * from './coalescer';
export * from './host-view';
export * from './driver-factory';
export * from './agent-process';
