export const LOGGER = Symbol('LOGGER');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const METRICS = Symbol('METRICS');
