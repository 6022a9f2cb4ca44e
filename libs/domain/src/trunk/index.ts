export * from './attributes';
export * from './decider';
export * from './errors';
export * from './model';
export * from './present';
