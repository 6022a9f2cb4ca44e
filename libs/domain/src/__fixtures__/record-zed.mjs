#!/usr/bin/env node
// Records the reference Neutron's answers (Zed 21.0.0 on 127.0.0.1:9797, see
// /work/shared/reference-neutron) into zed-*.json. Run by hand, never by the tests:
//   node libs/domain/src/__fixtures__/record-zed.mjs [http://127.0.0.1:9797]
// It creates its own resources (names "dom-fx-*", projects "dom-fx-*"), records
// each case's request and answer, deletes what it created, and writes the files.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCases } from './record-zed-cases.mjs';

const BASE = (process.argv[2] ?? 'http://127.0.0.1:9797') + '/v2.0';
const HERE = dirname(fileURLToPath(import.meta.url));
export const WHO = {
  admin: {},
  adm: { 'X-Project-Id': 'dom-fx-adm', 'X-Roles': 'admin' },
  admm: { 'X-Project-Id': 'dom-fx-adm', 'X-Roles': 'member' },
  p1: { 'X-Project-Id': 'dom-fx-p1', 'X-Roles': 'member' },
  p2: { 'X-Project-Id': 'dom-fx-p2', 'X-Roles': 'member' },
  p2reader: { 'X-Project-Id': 'dom-fx-p2', 'X-Roles': 'reader' },
};

async function call(method, path, body, who = 'adm') {
  const headers = { ...WHO[who], Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = text; }
  return { status: res.status, body: json };
}

const created = []; // cleanup functions, run in reverse at the end
async function make(collection, body, who) {
  const r = await call('POST', `/${collection}`, body, who);
  if (r.status !== 201) throw new Error(`setup ${collection} failed: ${JSON.stringify(r)}`);
  const obj = Object.values(r.body)[0];
  created.push(() => call('DELETE', `/${collection}/${obj.id}`, undefined, 'adm'));
  return (await call('GET', `/${collection}/${obj.id}`, undefined, 'adm')).body[collection.slice(0, -1)];
}
async function refresh(collection, id) {
  return (await call('GET', `/${collection}/${id}`, undefined, 'adm')).body[collection.slice(0, -1)];
}

/** Deletes whatever a successful POST in a case created, so cases stay independent. */
async function undo(req, res) {
  if (req.method !== 'POST' || res.status !== 201 || !res.body) return;
  const collection = req.path.split('/')[1];
  const objs = Object.values(res.body).flat();
  for (const o of objs) if (o && o.id) await call('DELETE', `/${collection}/${o.id}`, undefined, 'adm');
}

async function main() {
  const ctx = { call, make, refresh, created };
  const files = await buildCases(ctx);
  for (const [file, spec] of Object.entries(files)) {
    // setup: the objects as they are before this file's cases (update cases carry their own `before`).
    const out = { oracle: 'neutron-server 21.0.0 (Zed), noauth, ML2 flat/vlan/vxlan/local', setup: await spec.setup(), cases: {} };
    for (const c of spec.cases) {
      if (c.step) { await c.step(); continue; }
      const val = (v) => (typeof v === 'function' ? v() : v);
      const req = { as: c.as ?? 'p1', method: c.method, path: val(c.path), body: val(c.body) };
      const snapshot = c.snapshot ? await c.snapshot() : undefined;
      const res = await call(req.method, req.path, req.body, req.as);
      out.cases[c.name] = { request: req, ...(snapshot ? { before: snapshot } : {}), response: res };
      if (!c.keep) await undo(req, res);
      if (c.after) await c.after(res);
      process.stdout.write(`${file} ${c.name}: ${res.status}\n`);
    }
    writeFileSync(join(HERE, file), JSON.stringify(out, null, 2) + '\n');
  }
}

/** Removes what an interrupted earlier run left behind. */
async function preclean() {
  const routers = (await call('GET', '/routers?name=dom-fx-r1', undefined, 'adm')).body.routers;
  for (const r of routers) {
    const ports = (await call('GET', `/ports?device_id=${r.id}`, undefined, 'adm')).body.ports;
    for (const p of ports) await call('PUT', `/routers/${r.id}/remove_router_interface`, { port_id: p.id }, 'adm');
    await call('DELETE', `/routers/${r.id}`, undefined, 'adm');
  }
  const nets = (await call('GET', '/networks', undefined, 'adm')).body.networks.filter((n) => n.name.startsWith('dom-fx-'));
  for (const n of nets) {
    const ports = (await call('GET', `/ports?network_id=${n.id}`, undefined, 'adm')).body.ports;
    for (const p of ports) await call('DELETE', `/ports/${p.id}`, undefined, 'adm');
    await call('DELETE', `/networks/${n.id}`, undefined, 'adm');
  }
}

await preclean();
try {
  await main();
} finally {
  for (const cleanup of created.reverse()) await cleanup();
}
