import * as fs from 'node:fs';
import * as path from 'node:path';
import { SuiteFixture } from '@neutrino/testing-suite';

/**
 * The policy table recorded from the reference Zed server
 * (libs/domain/src/__fixtures__/record-zed-policy.mjs → zed-policy.json), replayed against
 * Neutrino: per resource, action and caller (admin, owner, another project's member, a reader)
 * on private, shared and external networks, the status, the NeutronError type and, for lists,
 * whether the target is listed. Each case makes its own objects (as admin, owned as recorded).
 */
interface Step {
  key?: string;
  method: string;
  path: string;
  body?: unknown;
}
interface Answer {
  status: number;
  type: string | null;
  listed?: boolean;
}
interface Case {
  name: string;
  caller: string;
  setup: Step[];
  request: Step;
  listed?: string;
  answer: Answer;
}
/** Paths in the fixture are below /v2.0. */
const FIXTURE = path.join(__dirname, '../../../libs/domain/src/__fixtures__/zed-policy.json');
const table = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as { callers: Record<string, Record<string, string>>; cases: Case[] };

/**
 * Where Neutrino answers otherwise than Zed: none today. An entry here names a case and the answer
 * Neutrino gives instead (asserted as such, so the entry must go when the answer comes right).
 */
const KNOWN_DIFFERENCES: Record<string, Answer> = {};

const fill = (v: unknown, ids: Record<string, string>): any => {
  if (typeof v === 'string') return v.replace(/\{(\w+)\}/g, (_, k: string) => ids[k] ?? `{missing ${k}}`);
  if (Array.isArray(v)) return v.map((x) => fill(x, ids));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, ids)]));
  return v;
};

describe('policy as Zed decides it (recorded table)', () => {
  let fx: SuiteFixture;
  beforeAll(async () => {
    // Every case sets up its own resources as admin (hundreds of networks in one project): quotas are not what this tests.
    const unlimited = Object.fromEntries(['NETWORK', 'SUBNET', 'PORT', 'ROUTER', 'FLOATINGIP', 'SECURITY_GROUP', 'SECURITY_GROUP_RULE'].map((k) => [`NEUTRINO_QUOTA_${k}`, '-1']));
    fx = await SuiteFixture.start({ env: unlimited });
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('has a case for every resource, action and caller, on private, shared and external networks', () => {
    const by = (f: (c: Case) => string) => new Set(table.cases.map(f));
    expect(by((c) => c.caller)).toEqual(new Set(['admin', 'owner', 'other', 'reader']));
    expect(by((c) => c.name.split(' ')[0])).toEqual(new Set(['network', 'subnet', 'port', 'router', 'floatingip', 'security_group', 'security_group_rule']));
    expect(by((c) => c.name.split(' ')[1])).toEqual(
      new Set(['create', 'show', 'list', 'update', 'delete', 'add_router_interface', 'remove_router_interface']),
    );
    for (const kind of ['private', 'shared', 'external']) expect(table.cases.some((c) => c.name.includes(` on ${kind} network`))).toBe(true);
    for (const name of Object.keys(KNOWN_DIFFERENCES)) expect(table.cases.map((c) => c.name)).toContain(name);
  });

  it.each(table.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const ids: Record<string, string> = {};
    for (const step of c.setup) {
      const made = await fx.api(step.method, `/v2.0${fill(step.path, ids)}`, fill(step.body, ids));
      if (made.status >= 300) throw new Error(`setup ${step.method} ${step.path}: ${made.status} ${JSON.stringify(made.body)}`);
      if (step.key) ids[step.key] = (Object.values(made.body)[0] as { id: string }).id;
    }
    const res = await fx.api(c.request.method, `/v2.0${fill(c.request.path, ids)}`, fill(c.request.body, ids), table.callers[c.caller]);
    const got: Answer = { status: res.status, type: res.body?.NeutronError?.type ?? null };
    if (c.listed) got.listed = res.status === 200 && (Object.values(res.body)[0] as Array<{ id: string }>).some((o) => o.id === fill(c.listed, ids));
    expect(got).toEqual(KNOWN_DIFFERENCES[c.name] ?? c.answer);
  });
});
