export * from './keystone-config';
export * from './keystone-session';
export * from './token';
export * from './token-validator';
export * from './api-auth';
