export * from './settings';
export * from './ranges';
export * from './docs';
