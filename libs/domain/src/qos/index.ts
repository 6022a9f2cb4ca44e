export * from './model';
export * from './attributes';
export * from './decider';
export * from './evolve';
export * from './present';
export * from './visibility';
export * from './rule-types';
export * from './effective';
