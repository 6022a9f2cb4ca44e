export * from './ipam';
