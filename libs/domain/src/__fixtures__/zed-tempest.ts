/** Test support for zed-tempest.json (made by record-zed-tempest.mjs): the cases tempest found Neutrino apart on, on one scenario. */
import type { Actor } from '../actor';
import zed from './zed-tempest.json';
import { toNetwork, toPort, toSubnet } from './zed';
import { toFloatingIp, toRouter } from './zed-l3';

export interface TempestCase {
  request: { as: 'adm' | 'p1'; method: string; path: string; body?: any };
  response: { status: number; body: any };
}

interface TempestFile {
  actors: Record<string, { project_id: string; roles: string[] }>;
  setup: Record<string, any>;
  cases: Record<string, TempestCase>;
}

export const TEMPEST = zed as unknown as TempestFile;
export const T = TEMPEST.setup;
export const tempestCase = (name: string): TempestCase => {
  const c = TEMPEST.cases[name];
  if (!c) throw new Error(`no recorded case ${name}`);
  return c;
};
export const tempestActor = (name: string): Actor => ({ user_id: null, ...TEMPEST.actors[tempestCase(name).request.as] });
export const tempestError = (name: string) => {
  const c = tempestCase(name);
  return { status: c.response.status, type: c.response.body.NeutronError.type as string, message: c.response.body.NeutronError.message as string };
};

export { toFloatingIp, toNetwork, toPort, toRouter, toSubnet };
