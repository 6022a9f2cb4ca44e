export * from './model';
export * from './allocate';
export * from './attributes';
export * from './decider';
export * from './evolve';
export * from './present';
export * from './visibility';
export * from './default-pool';
