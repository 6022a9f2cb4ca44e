export const EVENT_STORE = Symbol('EVENT_STORE');
export const LOGGER = Symbol('LOGGER');
/** The metadata shared secret (string). */
export const SHARED_SECRET = Symbol('SHARED_SECRET');
