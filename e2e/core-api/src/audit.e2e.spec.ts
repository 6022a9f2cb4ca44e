import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { SuiteFixture, member } from '@neutrino/testing-suite';

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '../../../tools/cli/bin/neutrino.js');

/** Done-when 4: every write leaves events with actor and request id, and `neutrino audit` shows them. */
describe('audit trail', () => {
  let fx: SuiteFixture;
  beforeAll(async () => {
    fx = await SuiteFixture.start();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  const audit = async (...args: string[]) =>
    (await run(process.execPath, [CLI, 'audit', ...args], { env: { ...process.env, NEUTRINO_NATS_URL: fx.nats.url } })).stdout;

  it('stamps actor and request id on every event of a write and finds them by request, resource and project', async () => {
    const carol = { ...member('carol'), 'X-User-Id': 'carol-user' };
    const net = await fx.api('POST', '/v2.0/networks', { network: { name: 'audited' } }, carol);
    const requestId = net.headers.get('x-openstack-request-id')!;
    expect(requestId).toMatch(/^req-[0-9a-f-]{36}$/);
    await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.body.network.id, cidr: '10.40.0.0/24', ip_version: 4 } }, carol);
    const port = await fx.api('POST', '/v2.0/ports', { port: { network_id: net.body.network.id, name: 'web' } }, carol);
    const portReq = port.headers.get('x-openstack-request-id')!;
    await fx.api('PUT', `/v2.0/ports/${port.body.port.id}`, { port: { name: 'web-1' } }, carol);

    const all: any[] = [];
    await fx.store.replay({}, (e) => void all.push(e));
    for (const e of all) {
      expect(e.request_id).toMatch(/^req-/);
      expect(e.actor.project_id).toBe('carol');
      expect(e.actor.user_id).toBe('carol-user');
    }

    const byRequest = await audit('--request-id', portReq);
    expect(byRequest).toMatch(/ip\.allocated/);
    expect(byRequest).toMatch(/mac\.allocated/);
    expect(byRequest).toMatch(/port\.created/);
    expect(byRequest).not.toMatch(/port\.updated/);
    expect(byRequest).toContain('carol-user@carol');

    const byResource = (await audit('--resource', port.body.port.id)).trim().split('\n');
    // The create's quota claim names the port's id too.
    expect(byResource.map((l) => l.split('  ')[4])).toEqual(['quota.claimed', 'ip.allocated', 'mac.allocated', 'port.created', 'port.updated']);
    expect(byResource[4]).toContain('name="web-1"');

    const byNetRequest = await audit('--request-id', requestId, '--json');
    const events = byNetRequest.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(['quota.claimed', 'segment.allocated', 'network.created']);
    expect(events[0].data.claims).toEqual([{ id: net.body.network.id, counts: { network: 1 } }]);
    expect(events[2].data.network.name).toBe('audited');

    expect((await audit('--project', 'someone-else')).trim()).toBe('');
  });

  it('neutrino projection rebuild replays the log into the running gateway and every answer stays the same', async () => {
    const before = [(await fx.api('GET', '/v2.0/networks')).body, (await fx.api('GET', '/v2.0/ports')).body];
    const { stdout, stderr } = await run(process.execPath, [CLI, 'projection', 'rebuild', 'api-gateway'], { env: { ...process.env, NEUTRINO_NATS_URL: fx.nats.url } });
    expect(stderr).toMatch(/dropping the projection and replaying the log/);
    expect(stdout).toMatch(new RegExp(`rebuilt up to sequence ${await fx.store.lastSeq()}`));
    expect([(await fx.api('GET', '/v2.0/networks')).body, (await fx.api('GET', '/v2.0/ports')).body]).toEqual(before);
  });
});
