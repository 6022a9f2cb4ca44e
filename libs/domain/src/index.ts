export * from './actor';
export * from './errors';
export * from './events';
export * from './model';
