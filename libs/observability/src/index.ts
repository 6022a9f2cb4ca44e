export * from './logger';
export * from './metrics';
export * from './metrics-server';
export * from './lifecycle';
