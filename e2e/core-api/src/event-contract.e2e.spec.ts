import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { StoredEvent } from '@neutrino/events';
import { waitFor } from '@neutrino/testing';
import { SuiteFixture, member } from '@neutrino/testing-suite';
import { broadRun } from './support/broad-run';
import { Tail } from './support/tail';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'tools/cli/bin/neutrino.js');
const SUBSCRIBER = path.join(REPO, 'docs/examples/subscriber.mjs');
const ENVELOPE = ['id', 'type', 'schema', 'aggregate', 'at', 'actor', 'request_id', 'causation_id', 'data'];

/**
 * Issue 14, done-when 4: the log as a public contract. While a broad run of API
 * calls goes through the gateway, `neutrino events follow --json` (the whole
 * log, and one type prefix) and docs/examples/subscriber.mjs (a durable consumer
 * with only the nats package, stopped and started again part-way) each see
 * every event of the run, in stream order, with the envelope's fields; and
 * `neutrino events check` validates every stored event against its type's
 * JSON Schema — and fails on one that does not match or has no schema.
 */
describe('the event log as a public contract', () => {
  let fx: SuiteFixture;
  let all: StoredEvent[];
  const tails: Tail[] = [];
  let follow: Tail;
  let ports: Tail;
  let text: Tail;
  let subscriber: Tail;
  let resumed: Tail;
  let stopTimer = () => undefined as void;

  const env = () => ({ NEUTRINO_NATS_URL: fx.nats.url, NATS_URL: fx.nats.url, DURABLE: 'events-e2e' });
  const tail = (args: string[]) => {
    const t = new Tail(args, env());
    tails.push(t);
    return t;
  };
  const cli = (...args: string[]) => run(process.execPath, [CLI, ...args], { env: { ...process.env, NEUTRINO_NATS_URL: fx.nats.url }, maxBuffer: 64 * 1024 * 1024 });
  const lastSeqOf = (t: Tail) => (t.lines.length ? JSON.parse(t.lines[t.lines.length - 1]).seq : 0);
  const caughtUp = (t: Tail, seq: number, what: string) =>
    waitFor(() => lastSeqOf(t) >= seq, { timeoutMs: 90_000, intervalMs: 50, message: `${what} did not reach seq ${seq} (at ${lastSeqOf(t)}): ${t.stderr}` });

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    follow = tail([CLI, 'events', 'follow', '--json', '--from', '1']);
    ports = tail([CLI, 'events', 'follow', '--json', '--from', '1', '--type', 'port.']);
    text = tail([CLI, 'events', 'follow']);
    subscriber = tail([SUBSCRIBER]);
    stopTimer = await broadRun(fx);
    // the durable subscriber stopped part-way and started again resumes where it acked
    await caughtUp(subscriber, await fx.store.lastSeq(), 'the example subscriber');
    expect(await subscriber.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const alice = member('ev-alice');
    const net = await fx.api('POST', '/v2.0/networks', { network: { name: 'ev-late' } }, alice);
    expect(net.status).toBe(201);
    expect((await fx.api('DELETE', `/v2.0/networks/${net.body.network.id}`, undefined, alice)).status).toBe(204);
    resumed = tail([SUBSCRIBER]);
    all = [];
    await fx.store.replay({ fromSeq: 1 }, (e) => void all.push(e));
    const head = all[all.length - 1].seq;
    await caughtUp(follow, head, 'events follow --json');
    await caughtUp(resumed, head, 'the restarted subscriber');
  }, 600_000);

  afterAll(async () => {
    stopTimer();
    await Promise.all(tails.map((t) => t.stop('SIGKILL')));
    await fx?.stop();
  });

  it('every stored event matches its type\'s JSON Schema, and the run covers the catalogue broadly', async () => {
    const { stdout } = await cli('events', 'check', '--json');
    const report = JSON.parse(stdout);
    expect(report.problems).toEqual([]);
    expect(report.checked).toBe(all.length);
    const seen = Object.keys(report.types);
    console.log(`events check: ${report.checked} events of ${seen.length} types`);
    const wanted = [
      'network.created', 'network.updated', 'network.deleted', 'network.rbac_added', 'network.rbac_updated', 'network.rbac_removed', 'network.subnet_added',
      'network.deleting', 'network.subnet_removed', 'subnet.created', 'subnet.updated', 'subnet.deleted', 'port.created', 'port.updated', 'port.deleted',
      'port.floatingip_associated', 'security_group.created', 'security_group.updated', 'security_group.deleted', 'security_group.rule_added',
      'security_group.rule_removed', 'router.created', 'router.updated', 'router.deleted', 'router.interface_added', 'floatingip.created',
      'floatingip.updated', 'floatingip.deleted', 'ip.allocated', 'ip.released', 'mac.allocated', 'mac.released', 'segment.allocated', 'segment.released',
      'bulk.started', 'bulk.committed', 'quota.updated', 'quota.reset', 'quota.claimed', 'address_scope.created', 'address_scope.updated',
      'address_scope.pool_joined', 'subnetpool.created', 'subnetpool.updated', 'subnetpool.prefix_allocated', 'subnetpool.prefix_released',
      'subnetpool.default_claimed', 'subnetpool.default_released', 'subnetpool.deleted', 'firewall.rule_created', 'firewall.rule_updated',
      'firewall.rule_deleted', 'firewall.policy_created', 'firewall.policy_deleted', 'firewall.group_created', 'firewall.group_updated',
      'firewall.group_deleted', 'vpn.object_created', 'vpn.object_updated', 'vpn.object_deleted', 'agent.registered', 'loadbalancer.created',
      'loadbalancer.updated', 'loadbalancer.provisioned', 'loadbalancer.health_reported', 'loadbalancer.deleting', 'loadbalancer.deleted',
      'listener.created', 'pool.created', 'member.created', 'member.updated', 'healthmonitor.created', 'lbmonitor.created', 'lbmonitor.updated',
      'lbmonitor.deleted',
    ];
    expect(wanted.filter((t) => !seen.includes(t))).toEqual([]);
  });

  it('events follow --json prints every event of the run once, in stream order, with the envelope and its seq and subject', () => {
    const got = follow.json();
    expect(got.map((e) => e.seq)).toEqual(all.map((e) => e.seq));
    expect(got).toEqual(all);
    for (const e of got) expect(Object.keys(e).sort()).toEqual([...ENVELOPE, 'seq', 'subject'].sort());
  });

  it('events follow --type port. prints only the port.* events, in order', async () => {
    const want = all.filter((e) => e.type.startsWith('port.'));
    expect(want.length).toBeGreaterThan(3);
    await caughtUp(ports, want[want.length - 1].seq, 'events follow --type port.');
    expect(ports.json()).toEqual(want);
  });

  it('events follow (text) prints seq, time, type, subject, id and a summary per event appended after it started', async () => {
    await waitFor(() => text.lines.some((l) => l.includes('ev-late')), { timeoutMs: 90_000, message: `no ev-late line: ${text.stderr}` });
    const late = all.find((e) => e.type === 'network.created' && (e.data as any).network.name === 'ev-late')!;
    const line = text.lines.find((l) => l.startsWith(`#${late.seq} `))!;
    expect(line.split('  ').slice(0, 5)).toEqual([`#${late.seq}`, late.at, 'network.created', late.subject, late.id]);
    expect(line).toContain('name="ev-late"');
    const seqs = text.lines.map((l) => Number(l.split('  ')[0].slice(1)));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs).toEqual(all.filter((e) => e.seq >= seqs[0]).map((e) => e.seq));
  });

  it('events follow --from SEQ and --since TIME start at that sequence and at that time', async () => {
    const mid = all[Math.floor(all.length / 2)];
    const since = all.find((e) => e.at > mid.at)!;
    const fromTail = tail([CLI, 'events', 'follow', '--json', '--from', String(mid.seq)]);
    const sinceTail = tail([CLI, 'events', 'follow', '--json', '--since', since.at]);
    const head = all[all.length - 1].seq;
    await caughtUp(fromTail, head, 'events follow --from');
    await caughtUp(sinceTail, head, 'events follow --since');
    expect(fromTail.json()).toEqual(all.filter((e) => e.seq >= mid.seq));
    expect(sinceTail.json()).toEqual(all.filter((e) => Date.parse(e.at) >= Date.parse(since.at)));
    for (const t of [fromTail, sinceTail]) expect(await t.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const bad = await cli('events', 'follow', '--from', '0').then(() => null, (err) => err);
    expect(bad?.code).toBe(1);
    expect(bad.stderr).toContain('--from must be a stream sequence (an integer >= 1), not "0"');
    const unknown = await cli('events', 'follow', '--type', 'nosuch.').then(() => null, (err) => err);
    expect(unknown?.code).toBe(1);
    expect(unknown.stderr).toContain('--type "nosuch." is no event type and no prefix of one');
  });

  it('the example subscriber (a durable consumer) saw every event in order, across its restart, each once', () => {
    const got = [...subscriber.json(), ...resumed.json()];
    expect(got.map((e) => e.seq)).toEqual(all.map((e) => e.seq));
    expect(got).toEqual(all);
  });

  it('Ctrl-C ends events follow cleanly', async () => {
    expect(await follow.stop('SIGINT')).toEqual({ code: 0, signal: null });
    expect(follow.stderr).toBe('');
  });

  it('events check fails on an event that does not match its schema and on a type without one', async () => {
    const actor = { user_id: 'ev-test', project_id: null, roles: ['admin'] };
    const [bad] = await fx.store.append([{ type: 'network.updated', aggregate: { type: 'network', id: 'ev-bad' }, actor, request_id: null, causation_id: null, data: { changes: { name: 7, colour: 'red' } } }]);
    const [unknown] = await fx.store.append([{ type: 'network.painted', aggregate: { type: 'network', id: 'ev-bad' }, actor, request_id: null, causation_id: null, data: {} }]);
    const failed = await cli('events', 'check', '--json').then(() => null, (err) => err);
    expect(failed?.code).toBe(1);
    const report = JSON.parse(failed.stdout);
    for (const p of report.problems) p.problems.sort();
    expect(report.problems).toEqual([
      { seq: bad.seq, type: 'network.updated', problems: ['/data/changes must NOT have additional properties (colour)', '/data/changes/name must be string'] },
      { seq: unknown.seq, type: 'network.painted', problems: [expect.stringContaining('is not in the catalogue')] },
    ]);
  });
});
