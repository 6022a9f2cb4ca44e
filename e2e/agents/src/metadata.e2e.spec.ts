import * as fs from 'node:fs';
import * as path from 'node:path';
import { signInstanceId } from '@neutrino/metadata';
import { ManagedProcess, loadEntrypoints } from '@neutrino/process';
import { TestbedFixture, suiteAgents, testbedSkipReason, which } from '@neutrino/testbed';
import { freePort } from '@neutrino/testing';
import { SuiteFixture } from '@neutrino/testing-suite';
import { until } from './agents-fixture';

const skip = testbedSkipReason() ?? (which('dnsmasq') ? null : 'dnsmasq (dnsmasq-base) is missing') ?? (which('udhcpc') ? null : 'udhcpc is missing') ?? (which('curl') ? null : 'curl is missing');
if (skip) console.warn(`metadata end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;
jest.setTimeout(120_000);

const entrypoints = loadEntrypoints() as ReturnType<typeof loadEntrypoints> & { services: Record<string, string> };

/**
 * Issue 5, done-when 3 on an isolated network: the dhcp-agent's proxy on port
 * 80 in qdhcp-, the metadata agent on network1, the metadata service; curl
 * inside the instances.
 */
describeRoot('metadata on the namespace test bed (isolated network, DHCP namespace)', () => {
  let fx: SuiteFixture;
  let bed: TestbedFixture;
  let service: ManagedProcess;
  let metadataUrl: string;
  const serviceLog: string[] = [];

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    fs.chmodSync(fx.dataDir, 0o755); // dnsmasq runs as nobody and reads its files under the data dir
    const port = await freePort();
    metadataUrl = `http://127.0.0.1:${port}`;
    service = new ManagedProcess({
      name: 'metadata-service',
      command: process.execPath,
      args: ['-r', entrypoints.register, entrypoints.services['metadata-service']],
      env: { NEUTRINO_NATS_URL: fx.nats.url, NEUTRINO_DATA_DIR: fx.dataDir, NEUTRINO_METADATA_HOST: '127.0.0.1', NEUTRINO_METADATA_PORT: String(port), NEUTRINO_LOG_LEVEL: 'info' },
      restart: false,
      output: (line) => serviceLog.push(line),
    });
    service.start();
    await until('the metadata service', async () => (await fetch(`${metadataUrl}/`).catch(() => undefined))?.status === 400);
    const perHost = (h: { name: string }) => (h.name === 'network1' ? ['l2-agent', 'dhcp-agent', 'metadata-agent'] : ['l2-agent']);
    bed = await TestbedFixture.create({
      apiUrl: fx.suite.apiUrl,
      metadataUrl,
      agents: suiteAgents(fx.nats.url, fx.dataDir, perHost, { NEUTRINO_API_URL: fx.suite.apiUrl, NEUTRINO_METADATA_URL: metadataUrl, NEUTRINO_LOG_LEVEL: 'info' }),
    });
  });

  afterAll(async () => {
    await bed?.dispose();
    await service?.stop();
    await fx?.stop();
  });

  const dumpLogs = () => {
    const dir = `${bed.dir.dir}/logs`;
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) console.error(`--- ${f}\n${fs.readFileSync(path.join(dir, f), 'utf8').slice(-3000)}`);
    console.error(`--- metadata-service\n${serviceLog.slice(-30).join('\n')}`);
  };

  /** curl inside an instance; the proxy may still be starting, so retry until it answers. */
  const curl = async (instance: string, url: string, headers: string[] = []) => {
    const args = ['curl', '-s', '-m', '5', '-w', '\n%{http_code}', ...headers.flatMap((h) => ['-H', h]), url];
    const r = await until(`${instance}: ${url}`, async () => {
      const out = await bed.exec(instance, args, { timeoutMs: 10_000 });
      return out.code === 0 && !out.stdout.endsWith('\n000') && out;
    }, 30_000).catch((err) => {
      dumpLogs();
      throw err;
    });
    const nl = r.stdout.lastIndexOf('\n');
    return { status: Number(r.stdout.slice(nl + 1)), body: r.stdout.slice(0, nl) };
  };

  const MD = 'http://169.254.169.254';
  const userData = { vm1: '#!/bin/sh\necho "vm1 boots"\n', vm2: '#cloud-config\nhostname: second\n' };

  it('each instance reads its own meta_data.json and user data through the qdhcp- proxy', async () => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'isolated' } })).body.network;
    await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.80.0.0/24', ip_version: 4 } });
    const vm1 = await bed.boot('vm1', { networkId: net.id, host: 'compute1', metadata: { userData: userData.vm1, publicKeys: { mykey: 'ssh-ed25519 AAAAC3Nz vm1@test' } } });
    const vm2 = await bed.boot('vm2', { networkId: net.id, host: 'compute2', metadata: { userData: userData.vm2 } });
    const lease = await bed.waitForLease('vm1', 30_000);
    await bed.waitForLease('vm2', 30_000);
    expect(lease.staticRoutes).toContain('169.254.169.254/32');

    const t0 = Date.now();
    const m1 = await curl('vm1', `${MD}/openstack/latest/meta_data.json`);
    console.log(`metadata e2e: first meta_data.json answered ${Date.now() - t0} ms after the lease`);
    expect(m1.status).toBe(200);
    expect(JSON.parse(m1.body)).toMatchObject({ uuid: vm1.deviceId, name: 'vm1', public_keys: { mykey: 'ssh-ed25519 AAAAC3Nz vm1@test' } });
    expect(await curl('vm1', `${MD}/openstack/latest/user_data`)).toEqual({ status: 200, body: userData.vm1 });
    expect(await curl('vm1', `${MD}/latest/meta-data/instance-id`)).toEqual({ status: 200, body: vm1.deviceId });
    expect(await curl('vm1', `${MD}/latest/meta-data/local-ipv4`)).toEqual({ status: 200, body: vm1.fixedIps[0].ip_address });

    const m2 = await curl('vm2', `${MD}/openstack/latest/meta_data.json`);
    expect(JSON.parse(m2.body)).toMatchObject({ uuid: vm2.deviceId, name: 'vm2' });
    expect(JSON.parse(m2.body)).not.toHaveProperty('public_keys');
    expect(await curl('vm2', `${MD}/latest/user-data`)).toEqual({ status: 200, body: userData.vm2 });

    const qdhcp = `${bed.host('network1').netnsPrefix}qdhcp-${net.id}`;
    const listening = await bed.execHost('network1', ['ip', 'netns', 'exec', qdhcp, 'ss', '-ltnH', 'sport = :80']).catch(() => undefined);
    if (listening?.code === 0) expect(listening.stdout).toMatch(/0\.0\.0\.0:80/);
  });

  it('an instance cannot pose as another: headers it sends under the trusted names are dropped', async () => {
    const vm2 = bed.instance('vm2');
    const spoof = await curl('vm1', `${MD}/openstack/latest/meta_data.json`, [
      `X-Forwarded-For: ${vm2.fixedIps[0].ip_address}`,
      `X-Instance-ID: ${vm2.deviceId}`,
      `X-Instance-ID-Signature: ${'0'.repeat(64)}`,
      'X-Neutron-Network-ID: some-other-network',
    ]);
    expect(spoof.status).toBe(200);
    expect(JSON.parse(spoof.body).uuid).toBe(bed.instance('vm1').deviceId);
  });

  it('the metadata service refuses a forged signature sent straight to it, and serves a correctly signed one', async () => {
    const vm1 = bed.instance('vm1');
    const project = JSON.parse((await curl('vm1', `${MD}/openstack/latest/meta_data.json`)).body).project_id;
    const secret = fs.readFileSync(path.join(fx.dataDir, 'metadata', 'shared_secret'), 'utf8').trim();
    const headers = (sig: string) => ({ 'X-Instance-ID': vm1.deviceId, 'X-Tenant-ID': project, 'X-Instance-ID-Signature': sig, 'X-Forwarded-For': vm1.fixedIps[0].ip_address });
    expect((await fetch(`${metadataUrl}/openstack/latest/meta_data.json`, { headers: headers(signInstanceId('a-guessed-secret', vm1.deviceId)) })).status).toBe(403);
    expect((await fetch(`${metadataUrl}/openstack/latest/meta_data.json`, { headers: headers(signInstanceId(secret, vm1.deviceId)) })).status).toBe(200);
  });

  it('the metadata agent is registered on network1 and alive', async () => {
    const agent = await until('the metadata agent in /v2.0/agents', async () => {
      const list = (await fx.api('GET', '/v2.0/agents')).body.agents as Array<Record<string, any>>;
      return list?.find((a) => a.agent_type === 'Metadata agent' && a.alive);
    });
    expect(agent).toMatchObject({ host: 'network1', binary: 'neutrino-metadata-agent' });
  });
});
