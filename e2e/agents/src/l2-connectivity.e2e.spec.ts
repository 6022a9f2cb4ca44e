import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { testbedSkipReason } from '@neutrino/testbed';
import { startWorld, until } from './agents-fixture';

const skip = testbedSkipReason();
if (skip) console.warn(`l2 end-to-end tests skipped: ${skip}`);
const describeRoot = skip ? describe.skip : describe;
const run = promisify(execFile);
const CLI = path.resolve(__dirname, '../../../tools/cli/bin/neutrino.js');

/** Issue 4, done-when 1 (static addressing) and 3: the l2-agent wires VXLAN and flat networks on the real kernel. */
describeRoot('l2-agent on the namespace test bed', () => {
  let world: Awaited<ReturnType<typeof startWorld>>;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });

  const activeSoon = (portId: string) =>
    until(`port ${portId} ACTIVE`, async () => {
      const p = (await world.fx.api('GET', `/v2.0/ports/${portId}`)).body.port;
      return p.status === 'ACTIVE' && p;
    }).catch((err) => {
      for (const f of fs.readdirSync(`${world.bed.dir.dir}/logs`)) console.error(`--- ${f}\n${fs.readFileSync(`${world.bed.dir.dir}/logs/${f}`, 'utf8').slice(-3000)}`);
      throw err;
    });

  const pingFrom = (instance: string, ip: string, count = 3) => world.bed.exec(instance, ['ping', '-c', String(count), '-i', '0.2', '-W', '2', ip]);

  it('registers an l2-agent per host, alive and caught up', async () => {
    const agents = await until('three agents', async () => {
      const list = (await world.fx.api('GET', '/v2.0/agents')).body.agents;
      return list?.length === 3 && list.every((a: { alive: boolean; resources_synced: boolean }) => a.alive && a.resources_synced) && list;
    });
    expect(agents.map((a: { host: string }) => a.host).sort()).toEqual(['compute1', 'compute2', 'network1']);
    expect(agents[0]).toMatchObject({ agent_type: 'Linux bridge agent', binary: 'neutrino-linuxbridge-agent' });

    const id = agents.find((a: { host: string }) => a.host === 'network1').id;
    const off = await world.fx.api('PUT', `/v2.0/agents/${id}`, { agent: { admin_state_up: false, description: 'maintenance' } });
    expect(off.body.agent).toMatchObject({ admin_state_up: false, description: 'maintenance', alive: true });
    expect((await world.fx.api('GET', '/v2.0/agents', undefined, { 'X-Project-Id': 'p1', 'X-Roles': 'member' })).body.agents).toEqual([]);
    expect((await world.fx.api('DELETE', `/v2.0/agents/${id}`)).status).toBe(204);
    expect((await world.fx.api('GET', `/v2.0/agents/${id}`)).body.NeutronError.type).toBe('AgentNotFound');
    // a deleted agent that is still running registers again with its next report
    await until('network1 agent back', async () => (await world.fx.api('GET', `/v2.0/agents/${id}`)).status === 200, 10_000);
  });

  it('connects two instances on different hosts over VXLAN, with their ports ACTIVE and bound', async () => {
    const net = (await world.fx.api('POST', '/v2.0/networks', { network: { name: 'tenant' } })).body.network;
    await world.fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.60.0.0/24', ip_version: 4, enable_dhcp: false } });
    const vm1 = await world.bed.boot('vm1', { networkId: net.id, host: 'compute1', dhcp: false, port: { port_security_enabled: false } });
    const vm2 = await world.bed.boot('vm2', { networkId: net.id, host: 'compute2', dhcp: false, port: { port_security_enabled: false } });
    const p1 = await activeSoon(vm1.portId!);
    await activeSoon(vm2.portId!);
    expect(p1).toMatchObject({ 'binding:vif_type': 'bridge', 'binding:vif_details': { port_filter: true }, 'binding:host_id': 'compute1' });

    const r = await pingFrom('vm1', vm2.fixedIps[0].ip_address);
    expect(r.stdout).toMatch(/3 received/);

    const links = (await world.bed.execHost('compute1', ['ip', '-d', 'link', 'show', `vxlan-${net['provider:segmentation_id']}`])).stdout;
    expect(links).toMatch(new RegExp(`vxlan id ${net['provider:segmentation_id']} .*local 172\\.18\\.0\\.101`));
    expect(links).toMatch(new RegExp(`master brq${net.id.slice(0, 11)}`));
    const fdb = (await world.bed.execHost('compute1', ['bridge', 'fdb', 'show', 'dev', `vxlan-${net['provider:segmentation_id']}`])).stdout;
    expect(fdb).toContain(`${vm2.mac} dst 172.18.0.102`);
  });

  it('neutrino wait returns once the hosts\' dataplanes have a change (the convergence barrier), and GET /v2.0/agents shows each agent\'s applied sequence', async () => {
    const cli = (...args: string[]) =>
      run(process.execPath, [CLI, 'wait', ...args], { env: { ...process.env, NEUTRINO_NATS_URL: world.fx.nats.url, NEUTRINO_AGENT_DOWN_TIME_MS: '75000' } });
    const net = (await world.fx.api('POST', '/v2.0/networks', { network: { name: 'barrier' } })).body.network;
    await world.fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.61.0.0/24', ip_version: 4, enable_dhcp: false } });
    const vm = await world.bed.boot('vw', { networkId: net.id, host: 'compute1', dhcp: false });
    await activeSoon(vm.portId!);
    for (let k = 1; k <= 3; k++) {
      const pair = `10.61.0.${200 + k}`;
      expect((await world.fx.api('PUT', `/v2.0/ports/${vm.portId}`, { port: { allowed_address_pairs: [{ ip_address: pair }] } })).status).toBe(200);
      const out = (await cli('--host', 'compute1', '--timeout', '20')).stdout;
      const seq = Number(/^seq (\d+): applied by 1 agent/.exec(out)![1]);
      // no polling: the barrier said the change is in compute1's dataplane, so it is there now
      const rules = (await world.bed.execHost('compute1', ['iptables-save', '-t', 'filter'])).stdout;
      expect(rules).toContain(`-s ${pair}/32 -m mac --mac-source ${vm.mac!.toLowerCase()} -j RETURN`);
      const agent = (await world.fx.api('GET', '/v2.0/agents?host=compute1')).body.agents[0];
      expect(agent.applied_seq).toBeGreaterThanOrEqual(seq);
    }
    // every agent by default; a host with no alive agent is an error, not a wait
    expect((await cli('--timeout', '20')).stdout).toMatch(/^seq \d+: applied by 3 agent\(s\)/);
    await expect(cli('--host', 'nosuchhost', '--timeout', '1')).rejects.toThrow(/no alive agent on nosuchhost/);
  });

  it('connects two instances over the flat provider network', async () => {
    const net = (await world.fx.api('POST', '/v2.0/networks', {
      network: { name: 'flat', 'provider:network_type': 'flat', 'provider:physical_network': 'physnet1' },
    })).body.network;
    await world.fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.70.0.0/24', ip_version: 4, enable_dhcp: false } });
    const a = await world.bed.boot('flat1', { networkId: net.id, host: 'compute1', dhcp: false, port: { port_security_enabled: false } });
    const b = await world.bed.boot('flat2', { networkId: net.id, host: 'compute2', dhcp: false, port: { port_security_enabled: false } });
    await activeSoon(a.portId!);
    await activeSoon(b.portId!);
    expect((await pingFrom('flat1', b.fixedIps[0].ip_address)).stdout).toMatch(/3 received/);
    const br = (await world.bed.execHost('compute2', ['ip', '-o', 'link', 'show', 'master', `brq${net.id.slice(0, 11)}`])).stdout;
    expect(br).toMatch(/ eth2[@:]/);
  });

  it('restarting every agent with traffic flowing loses no packet and applies zero changes', async () => {
    const target = world.bed.instance('vm2').fixedIps[0].ip_address;
    const ping = pingFrom('vm1', target, 60);
    for (const agent of world.bed.agents) {
      const before = agent.process.pid;
      agent.process.signal('SIGTERM');
      await until(`${agent.host} agent restarted`, async () => agent.process.pid !== before && agent.process.running);
    }
    const log = await until('restarted agents reconciled', async () => {
      const text = fs.readFileSync(`${world.bed.dir.dir}/logs/compute1.l2-agent.log`, 'utf8');
      return (text.match(/"reason":"start"[^\n]*"changes":0/g)?.length ?? 0) >= 1 && text;
    }, 30_000);
    expect(log).toMatch(/reconcile: applied 0 changes/);
    const r = await ping;
    expect(r.stdout).toMatch(/60 packets transmitted, 60 received, 0% packet loss/);
  });

  it('repairs a rule added by hand inside its chains and leaves another program\'s rules alone', async () => {
    const sh = (argv: string[]) => world.bed.execHost('compute1', argv);
    await sh(['iptables', '-w', '-I', 'neutron-linuxbri-sg-chain', '1', '-s', '192.0.2.66/32', '-j', 'DROP']);
    await sh(['iptables', '-w', '-N', 'other-program']);
    await sh(['iptables', '-w', '-A', 'other-program', '-s', '192.0.2.77/32', '-j', 'DROP']);
    await sh(['iptables', '-w', '-I', 'FORWARD', '1', '-j', 'other-program']);
    await until('hand-made rule removed by the resync', async () => !(await sh(['iptables-save', '-t', 'filter'])).stdout.includes('192.0.2.66'), 15_000);
    const saved = (await sh(['iptables-save', '-t', 'filter'])).stdout;
    expect(saved).toContain('-A other-program -s 192.0.2.77/32 -j DROP');
    expect(saved).toContain('-A FORWARD -j other-program');
  });

  it('deleting a port unwires it; deleting the last port of a network removes its bridge and vxlan device', async () => {
    const vm2 = world.bed.instance('vm2');
    await world.bed.destroy('vm2');
    const net = (await world.fx.api('GET', `/v2.0/networks/${vm2.networkId}`)).body.network;
    await until('bridge gone on compute2', async () => {
      const out = (await world.bed.execHost('compute2', ['ip', '-o', 'link'])).stdout;
      return !out.includes(`brq${net.id.slice(0, 11)}`) && !out.includes(`vxlan-${net['provider:segmentation_id']}:`);
    });
    const chains = (await world.bed.execHost('compute2', ['iptables-save', '-t', 'filter'])).stdout;
    expect(chains).not.toContain(vm2.portId!.slice(0, 10));
    // compute1 drops the forwarding entry toward compute2 (the bridge may still remember the MAC it learned)
    await until('l2population entry gone on compute1', async () => {
      const fdb = (await world.bed.execHost('compute1', ['bridge', 'fdb', 'show', 'dev', `vxlan-${net['provider:segmentation_id']}`])).stdout;
      return !fdb.includes(`${vm2.mac} dst`) && !fdb.includes('00:00:00:00:00:00 dst 172.18.0.102');
    });
  });
});
