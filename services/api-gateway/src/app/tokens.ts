export const LOGGER = Symbol('LOGGER');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const METRICS = Symbol('METRICS');
export const DOMAIN_CONFIG = Symbol('DOMAIN_CONFIG');
export const IPAM_CLIENT = Symbol('IPAM_CLIENT');
