import { randomBytes } from 'node:crypto';

/**
 * Names. Only namespace names are global (one /run/netns for the machine), so
 * every namespace carries the test bed's prefix `nt<id>-`; links live inside
 * those namespaces and need no prefix (nothing is ever created in the root
 * namespace).
 */

/** A fresh test-bed id: 5 lowercase hex digits, so `nt<id>-` is 8 characters. */
export const newTestbedId = (): string => randomBytes(3).toString('hex').slice(0, 5);

export const prefixOf = (id: string): string => `nt${id}-`;

export const fabricNetns = (prefix: string): string => `${prefix}fabric`;
export const internetNetns = (prefix: string): string => `${prefix}internet`;
export const hostNetns = (prefix: string, host: string): string => `${prefix}${host}`;
export const instanceNetns = (prefix: string, instance: string): string => `${prefix}vm-${instance}`;

/** The fabric-side ends of a host's veths: u-<host> (underlay), p-<host> (physnet1), x-<host> (external). */
export const fabricEnd = (kind: 'u' | 'p' | 'x', host: string): string => `${kind}-${host}`;

const TESTBED_ID = /^[a-z0-9]{1,8}$/;
const HOST = /^[a-z][a-z0-9]{0,12}$/;
const INSTANCE = /^[a-z0-9][a-z0-9-]{0,31}$/;

export function checkTestbedId(id: string): string {
  if (!TESTBED_ID.test(id)) throw new Error(`test bed id "${id}" must be 1-8 characters of [a-z0-9]`);
  return id;
}

/** Host names become link names (`u-<host>`, at most 15 characters), hence the limit of 13. */
export function checkHostName(name: string): string {
  if (!HOST.test(name)) throw new Error(`host name "${name}" must match ${HOST} (it is part of link names)`);
  return name;
}

export function checkInstanceName(name: string): string {
  if (!INSTANCE.test(name)) throw new Error(`instance name "${name}" must match ${INSTANCE}`);
  return name;
}
