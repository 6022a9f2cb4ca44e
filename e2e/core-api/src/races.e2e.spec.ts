import { waitFor } from '@neutrino/testing';
import { SuiteFixture, member } from '@neutrino/testing-suite';

const admin = { 'X-Project-Id': 'admin', 'X-Roles': 'admin' };
const alice = member('race-alice');

// One suite for every race below but the crash-settlement's (it runs its settler fast).
let fx: SuiteFixture;
beforeAll(async () => {
  fx = await SuiteFixture.start();
});
afterAll(async () => {
  await fx?.stop();
});

/** Issue 9's races that the command handler settles: each run with ≥10 concurrent requests. */
describe('concurrent commands', () => {

  it('20 concurrent updates of one port all succeed (re-decided on fresh state, never 500): 20 revisions, 20 events', async () => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'updates' } }, alice)).body.network;
    await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.80.0.0/24', ip_version: 4 } }, alice);
    const port = (await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id } }, alice)).body.port;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => fx.api('PUT', `/v2.0/ports/${port.id}`, { port: { name: `name-${i}`, description: `d${i}` } }, alice)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const shown = (await fx.api('GET', `/v2.0/ports/${port.id}`, undefined, alice)).body.port;
    expect(shown.revision_number).toBe(port.revision_number + 20);
    const events = await fx.store.readSubject(`evt.port.${port.id}`);
    expect(events.map((e) => e.type)).toEqual(['port.created', ...Array(20).fill('port.updated')]);
    // The port's name is the one its last event set.
    expect(shown.name).toBe((events[20].data as { changes: { name: string } }).changes.name);
  });

  it("a member cannot take a shared network's gateway: 10 concurrent add_router_interface with another project's subnet get 400 and change nothing; admin may", async () => {
    const shared = (await fx.api('POST', '/v2.0/networks', { network: { name: 'shared', shared: true } }, admin)).body.network;
    const sub = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: shared.id, cidr: '10.81.0.0/24', ip_version: 4 } }, admin)).body.subnet;
    const router = (await fx.api('POST', '/v2.0/routers', { router: { name: 'alice-r' } }, alice)).body.router;
    const before = await fx.store.lastSeq();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => fx.api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: sub.id }, alice)),
    );
    for (const a of answers) {
      expect(a.status).toBe(400);
      expect(a.body.NeutronError.type).toBe('BadRequest');
      expect(a.body.NeutronError.message).toBe(
        `Bad router request: Cannot add interface to router ${router.id} because the subnet ${sub.id} is not owned by project making the request.`,
      );
    }
    expect(await fx.store.lastSeq()).toBe(before);
    expect((await fx.api('GET', `/v2.0/ports?network_id=${shared.id}`, undefined, admin)).body.ports).toHaveLength(0);

    // A port she owns on the shared network she may attach; the subnet itself only an admin.
    const own = (await fx.api('POST', '/v2.0/ports', { port: { network_id: shared.id } }, alice)).body.port;
    const byPort = await fx.api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { port_id: own.id }, alice);
    expect(byPort.status).toBe(200);
    expect(byPort.body.port_id).toBe(own.id);
    const router2 = (await fx.api('POST', '/v2.0/routers', { router: { name: 'alice-r2' } }, alice)).body.router;
    const byAdmin = await fx.api('PUT', `/v2.0/routers/${router2.id}/add_router_interface`, { subnet_id: sub.id }, admin);
    expect(byAdmin.status).toBe(200);
    const gw = (await fx.api('GET', `/v2.0/ports/${byAdmin.body.port_id}`, undefined, admin)).body.port;
    expect(gw.fixed_ips).toEqual([{ subnet_id: sub.id, ip_address: '10.81.0.1' }]);
  });

  it('10 concurrent gateway sets on one router leave one gateway port and give every other reserved address back', async () => {
    const ext = (await fx.api('POST', '/v2.0/networks', { network: { name: 'ext', 'router:external': true } }, admin)).body.network;
    const extSub = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: ext.id, cidr: '198.51.100.0/24', ip_version: 4, enable_dhcp: false } }, admin)).body.subnet;
    const router = (await fx.api('POST', '/v2.0/routers', { router: { name: 'gw-race' } }, alice)).body.router;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => fx.api('PUT', `/v2.0/routers/${router.id}`, { router: { external_gateway_info: { network_id: ext.id } } }, alice)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const shown = (await fx.api('GET', `/v2.0/routers/${router.id}`, undefined, alice)).body.router;
    const gwPorts = (await fx.api('GET', `/v2.0/ports?device_id=${router.id}&device_owner=network:router_gateway`, undefined, admin)).body.ports;
    expect(gwPorts).toHaveLength(1);
    expect(shown.external_gateway_info.external_fixed_ips).toEqual(gwPorts[0].fixed_ips);
    for (const a of answers) expect(a.body.router.external_gateway_info.network_id).toBe(ext.id);
    // ipam holds exactly one address of the external subnet: the gateway's.
    const ipam = await fx.store.readSubject(`evt.ipam.${extSub.id}`);
    const held = ipam.filter((e) => e.type === 'ip.allocated').length - ipam.filter((e) => e.type === 'ip.released').length;
    expect(held).toBe(1);
  });
});

/** Invariants that span aggregates, serialized on one subject (docs/architecture.md, "Consistency boundaries"). */
describe('cross-aggregate invariants under concurrent requests', () => {

  it("20 concurrent subnet creates with one CIDR on one network: one subnet, 19 of Neutron's 400 (serialized on the network's subject)", async () => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'cidr-race' } }, alice)).body.network;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.90.0.0/24', ip_version: 4, name: `s${i}` } }, alice)),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect(a.status).toBe(400);
      expect(a.body.NeutronError.type).toBe('InvalidInput');
    }
    const listed = (await fx.api('GET', `/v2.0/subnets?network_id=${net.id}`, undefined, alice)).body.subnets;
    expect(listed).toHaveLength(1);
    expect((await fx.api('GET', `/v2.0/networks/${net.id}`, undefined, alice)).body.network.subnets).toEqual([listed[0].id]);
  });

  it('10 concurrent creates of overlapping CIDRs on one network: one subnet', async () => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'overlap-race' } }, alice)).body.network;
    const cidrs = ['10.91.0.0/16', ...Array.from({ length: 9 }, (_, i) => `10.91.${i}.0/24`)];
    const answers = await Promise.all(cidrs.map((cidr) => fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr, ip_version: 4 } }, alice)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400)).toHaveLength(9);
    expect((await fx.api('GET', `/v2.0/subnets?network_id=${net.id}`, undefined, alice)).body.subnets).toHaveLength(1);
  });

  it("10 concurrent add_router_interface with subnets of one CIDR on one router: one interface (serialized on the router's subject), no address kept by the others", async () => {
    const router = (await fx.api('POST', '/v2.0/routers', { router: { name: 'if-race' } }, alice)).body.router;
    const subs: Array<{ id: string }> = [];
    for (let i = 0; i < 10; i++) {
      const net = (await fx.api('POST', '/v2.0/networks', { network: { name: `if-net-${i}` } }, alice)).body.network;
      subs.push((await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.92.0.0/24', ip_version: 4 } }, alice)).body.subnet);
    }
    const answers = await Promise.all(subs.map((s) => fx.api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: s.id }, alice)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) {
      expect(a.status).toBe(400);
      expect(a.body.NeutronError.type).toBe('BadRequest');
    }
    const ifaces = (await fx.api('GET', `/v2.0/ports?device_id=${router.id}`, undefined, alice)).body.ports;
    expect(ifaces).toHaveLength(1);
    // every address ipam handed to a refused interface came back
    for (const s of subs) {
      const ipam = await fx.store.readSubject(`evt.ipam.${s.id}`);
      const held = ipam.filter((e) => e.type === 'ip.allocated').length - ipam.filter((e) => e.type === 'ip.released').length;
      expect(held).toBe(ifaces[0].fixed_ips[0].subnet_id === s.id ? 1 : 0);
    }
  });
});

describe('one floating IP per fixed IP under concurrent requests', () => {

  it("10 concurrent floating-IP creates for one port: one floating IP on its fixed IP (serialized on the port's subject), 9 × 409, no address kept by the others", async () => {
    const ext = (await fx.api('POST', '/v2.0/networks', { network: { name: 'fip-ext', 'router:external': true } }, admin)).body.network;
    const extSub = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: ext.id, cidr: '192.0.2.0/24', ip_version: 4, enable_dhcp: false } }, admin)).body.subnet;
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'fip-net' } }, alice)).body.network;
    const sub = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.93.0.0/24', ip_version: 4 } }, alice)).body.subnet;
    const router = (await fx.api('POST', '/v2.0/routers', { router: { name: 'fip-r', external_gateway_info: { network_id: ext.id } } }, alice)).body.router;
    expect((await fx.api('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: sub.id }, alice)).status).toBe(200);
    const port = (await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id } }, alice)).body.port;

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => fx.api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: port.id } }, alice)),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect(a.status).toBe(409);
      expect(a.body.NeutronError.type).toBe('FloatingIPPortAlreadyAssociated');
    }
    const fips = (await fx.api('GET', `/v2.0/floatingips?port_id=${port.id}`, undefined, alice)).body.floatingips;
    expect(fips).toHaveLength(1);
    expect((await fx.api('GET', '/v2.0/floatingips', undefined, alice)).body.floatingips).toHaveLength(1);
    // the external subnet holds the router's gateway address and the one floating IP's, nothing of the refused ones
    const ipam = await fx.store.readSubject(`evt.ipam.${extSub.id}`);
    expect(ipam.filter((e) => e.type === 'ip.allocated').length - ipam.filter((e) => e.type === 'ip.released').length).toBe(2);

    // once it is free again, ten floating IPs racing to take that fixed IP by update: one gets it
    expect((await fx.api('PUT', `/v2.0/floatingips/${fips[0].id}`, { floatingip: { port_id: null } }, alice)).status).toBe(200);
    const spare = await Promise.all(
      Array.from({ length: 10 }, () => fx.api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } }, alice)),
    );
    expect(spare.map((a) => a.status)).toEqual(Array(10).fill(201));
    const moves = await Promise.all(spare.map((a) => fx.api('PUT', `/v2.0/floatingips/${a.body.floatingip.id}`, { floatingip: { port_id: port.id } }, alice)));
    expect(moves.filter((m) => m.status === 200)).toHaveLength(1);
    expect(moves.filter((m) => m.status === 409 && m.body.NeutronError.type === 'FloatingIPPortAlreadyAssociated')).toHaveLength(9);
    const winner = moves.find((m) => m.status === 200)!.body.floatingip.id;
    expect((await fx.api('GET', `/v2.0/floatingips?port_id=${port.id}`, undefined, alice)).body.floatingips.map((f: { id: string }) => f.id)).toEqual([winner]);
  });
});

/** No port on a network or subnet being deleted: the deletion is marked on the network's subject and port creates and updates race it there. */
describe('network and subnet deletes racing port creates and updates', () => {

  type Answer = Awaited<ReturnType<SuiteFixture['api']>>;
  const held = async (subnetId: string): Promise<number> => {
    const ipam = await fx.store.readSubject(`evt.ipam.${subnetId}`);
    return ipam.filter((e) => e.type === 'ip.allocated').length - ipam.filter((e) => e.type === 'ip.released').length;
  };
  /**
   * Ten port creates on the network with the deletion sent after the `after`-th
   * of them, or (`after` 10) once the first of them has been answered, so the
   * rounds cover both orders.
   */
  const race = async (networkId: string, after: number, del: () => Promise<Answer>, body: Record<string, unknown> = {}) => {
    const creates: Array<Promise<Answer>> = [];
    let deletion!: Promise<Answer>;
    for (let i = 0; i < 10; i++) {
      if (i === after) deletion = del();
      creates.push(fx.api('POST', '/v2.0/ports', { port: { network_id: networkId, name: `racer-${i}`, ...body } }, alice));
    }
    if (after >= 10) deletion = creates[0].then(() => del());
    return { creates: await Promise.all(creates), deletion: await deletion };
  };
  /** Every port the admin sees is on a network that exists, with fixed IPs on subnets that exist; a PUT on each answers 200. */
  const noPortOnAnythingGone = async () => {
    const ports = (await fx.api('GET', '/v2.0/ports', undefined, admin)).body.ports as Array<{ id: string; network_id: string; fixed_ips: Array<{ subnet_id: string }> }>;
    const networks = new Set(((await fx.api('GET', '/v2.0/networks', undefined, admin)).body.networks as Array<{ id: string }>).map((n) => n.id));
    const subnets = new Set(((await fx.api('GET', '/v2.0/subnets', undefined, admin)).body.subnets as Array<{ id: string }>).map((s) => s.id));
    for (const p of ports) {
      expect(networks.has(p.network_id)).toBe(true);
      for (const f of p.fixed_ips) expect(subnets.has(f.subnet_id)).toBe(true);
    }
    const puts = await Promise.all(ports.map((p) => fx.api('PUT', `/v2.0/ports/${p.id}`, { port: { description: 'after the race' } }, admin)));
    expect(puts.map((a) => a.status)).toEqual(Array(ports.length).fill(200));
    return ports;
  };

  it("a network delete racing 10 port creates, in 6 rounds: either the delete gets 409 NetworkInUse and the ports that got 201 stay, or it gets 204 and every create 404 NetworkNotFound; no port left, no address kept", async () => {
    const outcomes: number[] = [];
    for (const after of [0, 0, 2, 5, 10, 10]) {
      const net = (await fx.api('POST', '/v2.0/networks', { network: { name: `del-race-${after}` } }, alice)).body.network;
      const sub = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.94.0.0/24', ip_version: 4 } }, alice)).body.subnet;
      const { creates, deletion } = await race(net.id, after, () => fx.api('DELETE', `/v2.0/networks/${net.id}`, undefined, alice));
      outcomes.push(deletion.status);
      const made = creates.filter((a) => a.status === 201);
      for (const a of creates.filter((x) => x.status !== 201)) {
        expect(a.status).toBe(404);
        expect(a.body.NeutronError.type).toBe('NetworkNotFound');
      }
      const left = (await fx.api('GET', `/v2.0/ports?network_id=${net.id}`, undefined, admin)).body.ports as Array<{ id: string; fixed_ips: unknown[] }>;
      if (deletion.status === 204) {
        // every port create that got 201 was then in the way of the delete: with the delete done, none did
        expect(made).toHaveLength(0);
        expect(left).toHaveLength(0);
        expect((await fx.api('GET', `/v2.0/networks/${net.id}`, undefined, alice)).status).toBe(404);
      } else {
        expect(deletion.status).toBe(409);
        expect(deletion.body.NeutronError.type).toBe('NetworkInUse');
        expect(made.length).toBeGreaterThan(0);
        expect(left.map((p) => p.id).sort()).toEqual(made.map((a) => a.body.port.id).sort());
        // a port that got 201 without an address joined after the subnet had gone: the network stays, with or without it
        expect((await fx.api('GET', `/v2.0/networks/${net.id}`, undefined, alice)).status).toBe(200);
      }
      // ipam holds the addresses of the ports that stayed, nothing of the refused ones
      expect(await held(sub.id)).toBe(left.filter((p) => p.fixed_ips.length).length);
      await noPortOnAnythingGone();
    }
    // the rounds covered both orders
    expect(outcomes).toContain(204);
    expect(outcomes).toContain(409);
  });

  it('a subnet delete racing 10 port creates on it, in 6 rounds: either 409 SubnetInUse with the ports kept, or 204 with no port holding an address on it; a PUT on every port answers 200', async () => {
    const outcomes: number[] = [];
    for (const after of [0, 0, 2, 5, 10, 10]) {
      const net = (await fx.api('POST', '/v2.0/networks', { network: { name: `sub-race-${after}` } }, alice)).body.network;
      const sub = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.95.0.0/24', ip_version: 4 } }, alice)).body.subnet;
      const { creates, deletion } = await race(net.id, after, () => fx.api('DELETE', `/v2.0/subnets/${sub.id}`, undefined, alice), {
        fixed_ips: [{ subnet_id: sub.id }],
      });
      outcomes.push(deletion.status);
      const made = creates.filter((a) => a.status === 201);
      for (const a of creates.filter((x) => x.status !== 201)) {
        // refused when it joined the network (the subnet gone meanwhile), or decided after the subnet had gone
        if (a.status === 404) expect(a.body.NeutronError.type).toBe('SubnetNotFound');
        else expect(a.body.NeutronError).toEqual({ type: 'InvalidInput', message: 'Invalid input for operation: IP allocation requires subnets for network.', detail: '' });
      }
      const left = (await fx.api('GET', `/v2.0/ports?network_id=${net.id}`, undefined, admin)).body.ports as Array<{ id: string; fixed_ips: unknown[] }>;
      expect(left.map((p) => p.id).sort()).toEqual(made.map((a) => a.body.port.id).sort());
      if (deletion.status === 204) {
        expect(made).toHaveLength(0);
        expect((await fx.api('GET', `/v2.0/subnets/${sub.id}`, undefined, alice)).status).toBe(404);
        expect((await fx.api('GET', `/v2.0/networks/${net.id}`, undefined, alice)).body.network.subnets).toEqual([]);
      } else {
        expect(deletion.status).toBe(409);
        expect(deletion.body.NeutronError.type).toBe('SubnetInUse');
        expect(made.length).toBeGreaterThan(0);
        for (const p of left) expect(p.fixed_ips).toHaveLength(1);
      }
      expect(await held(sub.id)).toBe(deletion.status === 204 ? 0 : left.length);
      await noPortOnAnythingGone();
      // the network can go once its ports do
      for (const p of left) expect((await fx.api('DELETE', `/v2.0/ports/${p.id}`, undefined, alice)).status).toBe(204);
      expect((await fx.api('DELETE', `/v2.0/networks/${net.id}`, undefined, alice)).status).toBe(204);
    }
    expect(outcomes).toContain(204);
    expect(outcomes).toContain(409);
  });

  it('a SLAAC subnet delete racing 10 port creates on its network, in 6 rounds: 204 each time, and no port left holding an address on it (a create that joined after the removal is refused 404 SubnetNotFound)', async () => {
    for (const after of [0, 0, 2, 5, 10, 10]) {
      const net = (await fx.api('POST', '/v2.0/networks', { network: { name: `slaac-race-${after}` } }, alice)).body.network;
      const v4 = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.96.0.0/24', ip_version: 4 } }, alice)).body.subnet;
      const v6 = (await fx.api('POST', '/v2.0/subnets', {
        subnet: { network_id: net.id, cidr: '2001:db8:96::/64', ip_version: 6, ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' },
      }, alice)).body.subnet;
      const { creates, deletion } = await race(net.id, after, () => fx.api('DELETE', `/v2.0/subnets/${v6.id}`, undefined, alice));
      expect(deletion.status).toBe(204);
      const made = creates.filter((a) => a.status === 201);
      for (const a of creates.filter((x) => x.status !== 201)) {
        expect(a.status).toBe(404);
        expect(a.body.NeutronError.type).toBe('SubnetNotFound');
      }
      const left = (await fx.api('GET', `/v2.0/ports?network_id=${net.id}`, undefined, admin)).body.ports as Array<{ id: string; fixed_ips: Array<{ subnet_id: string }> }>;
      expect(left.map((p) => p.id).sort()).toEqual(made.map((a) => a.body.port.id).sort());
      for (const p of left) expect(p.fixed_ips.map((f) => f.subnet_id)).toEqual([v4.id]);
      expect(await held(v6.id)).toBe(0);
      expect(await held(v4.id)).toBe(left.length);
      await noPortOnAnythingGone();
      for (const p of left) expect((await fx.api('DELETE', `/v2.0/ports/${p.id}`, undefined, alice)).status).toBe(204);
      expect((await fx.api('DELETE', `/v2.0/networks/${net.id}`, undefined, alice)).status).toBe(204);
    }
  });

  it('a subnet delete racing 10 port updates that add an address on it, in 6 rounds: either 409 SubnetInUse with the updated ports holding it, or 204 with every update 404 SubnetNotFound and no port holding an address on it', async () => {
    const outcomes: number[] = [];
    for (const after of [0, 0, 2, 5, 10, 10]) {
      const net = (await fx.api('POST', '/v2.0/networks', { network: { name: `upd-race-${after}` } }, alice)).body.network;
      const keep = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.97.0.0/24', ip_version: 4 } }, alice)).body.subnet;
      const sub = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.98.0.0/24', ip_version: 4 } }, alice)).body.subnet;
      const ports: Array<{ id: string; fixed_ips: Array<{ subnet_id: string; ip_address: string }> }> = [];
      for (let i = 0; i < 10; i++) {
        ports.push((await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id, name: `upd-${i}`, fixed_ips: [{ subnet_id: keep.id }] } }, alice)).body.port);
      }
      const updates: Array<Promise<Answer>> = [];
      const del = () => fx.api('DELETE', `/v2.0/subnets/${sub.id}`, undefined, alice);
      let deletion!: Promise<Answer>;
      for (const [i, p] of ports.entries()) {
        if (i === after) deletion = del();
        updates.push(fx.api('PUT', `/v2.0/ports/${p.id}`, { port: { fixed_ips: [...p.fixed_ips, { subnet_id: sub.id }] } }, alice));
      }
      if (after >= 10) deletion = updates[0].then(() => del());
      const answers = await Promise.all(updates);
      const deleted = await deletion;
      outcomes.push(deleted.status);
      for (const a of answers.filter((x) => x.status !== 200)) {
        expect(a.status).toBe(404);
        expect(a.body.NeutronError).toEqual({ type: 'SubnetNotFound', message: `Subnet ${sub.id} could not be found.`, detail: '' });
      }
      const updated = new Set(answers.filter((a) => a.status === 200).map((a) => a.body.port.id as string));
      const left = (await fx.api('GET', `/v2.0/ports?network_id=${net.id}`, undefined, admin)).body.ports as typeof ports;
      expect(left.map((p) => p.id).sort()).toEqual(ports.map((p) => p.id).sort());
      for (const p of left) {
        const before = ports.find((x) => x.id === p.id)!;
        // an update answered 200 holds its new address; a refused one holds what it held before
        if (updated.has(p.id)) expect(p.fixed_ips.map((f) => f.subnet_id)).toEqual([keep.id, sub.id]);
        else expect(p.fixed_ips).toEqual(before.fixed_ips);
      }
      if (deleted.status === 204) {
        expect(updated.size).toBe(0);
        expect((await fx.api('GET', `/v2.0/subnets/${sub.id}`, undefined, alice)).status).toBe(404);
        expect((await fx.api('GET', `/v2.0/networks/${net.id}`, undefined, alice)).body.network.subnets).toEqual([keep.id]);
      } else {
        expect(deleted.status).toBe(409);
        expect(deleted.body.NeutronError.type).toBe('SubnetInUse');
        expect(updated.size).toBeGreaterThan(0);
      }
      // ipam holds the new addresses of the updates that stayed, nothing of the refused ones
      expect(await held(sub.id)).toBe(updated.size);
      expect(await held(keep.id)).toBe(10);
      await noPortOnAnythingGone();
      for (const p of left) expect((await fx.api('DELETE', `/v2.0/ports/${p.id}`, undefined, alice)).status).toBe(204);
      expect((await fx.api('DELETE', `/v2.0/networks/${net.id}`, undefined, alice)).status).toBe(204);
    }
    expect(outcomes).toContain(204);
    expect(outcomes).toContain(409);
  });
});

/** What a gateway killed in the middle of a subnet deletion leaves, settled by the next gateway sweep (NEUTRINO_DELETION_SETTLE_INTERVAL_MS). */
describe('a deletion interrupted by a crash', () => {
  let fx: SuiteFixture;
  beforeAll(async () => {
    fx = await SuiteFixture.start({ env: { NEUTRINO_DELETION_SETTLE_INTERVAL_MS: '200' } });
  });
  afterAll(async () => {
    await fx?.stop();
  });

  const onNetwork = (networkId: string, type: string, data: unknown) =>
    fx.store.append([{ type, aggregate: { type: 'network', id: networkId }, actor: { user_id: 'e2e', project_id: 'admin', roles: ['admin'] }, request_id: null, causation_id: null, data }]);

  it('a mark no deletion works on, a subnet removal never recorded and a port that never joined are settled: the port goes with its address, the subnet goes, the network takes ports again', async () => {
    const net = (await fx.api('POST', '/v2.0/networks', { network: { name: 'crashed-delete' } }, alice)).body.network;
    const sub = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.96.0.0/24', ip_version: 4 } }, alice)).body.subnet;
    const stranded = (await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id } }, alice)).body.port;
    // as the log stands when the gateway died deleting the network: its deletion and its subnet's marked, the
    // subnet's removal decided on the network, and a port recorded meanwhile (here: before) that never joined
    await onNetwork(net.id, 'network.deleting', { network_id: net.id, id: net.id });
    await onNetwork(net.id, 'network.deleting', { network_id: net.id, id: sub.id });
    await onNetwork(net.id, 'network.subnet_removed', { network_id: net.id, subnet_id: sub.id });

    await waitFor(async () => (await fx.api('GET', `/v2.0/subnets/${sub.id}`, undefined, alice)).status === 404, { timeoutMs: 20_000 });
    expect((await fx.api('GET', `/v2.0/ports/${stranded.id}`, undefined, alice)).status).toBe(404);
    expect((await fx.api('GET', `/v2.0/networks/${net.id}`, undefined, alice)).body.network.subnets).toEqual([]);
    const ipam = await fx.store.readSubject(`evt.ipam.${sub.id}`);
    expect(ipam.filter((e) => e.type === 'ip.allocated').length - ipam.filter((e) => e.type === 'ip.released').length).toBe(0);
    await waitFor(async () => (await fx.store.readSubject(`evt.network.${net.id}`)).some((e) => e.type === 'network.deleting_cancelled'), { timeoutMs: 20_000 });
    // the subnet's mark went with subnet.deleted, the network's own was cancelled: the network is not being deleted
    const cancelled = (await fx.store.readSubject(`evt.network.${net.id}`)).filter((e) => e.type === 'network.deleting_cancelled');
    expect(cancelled.map((e) => e.data)).toEqual([{ network_id: net.id, id: net.id }]);
    expect((await fx.api('GET', `/v2.0/networks/${net.id}`, undefined, alice)).status).toBe(200);

    // the network works as any other: a port on a new subnet, a PUT on it, then the network goes
    const sub2 = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.96.1.0/24', ip_version: 4 } }, alice)).body.subnet;
    const port = (await fx.api('POST', '/v2.0/ports', { port: { network_id: net.id } }, alice)).body.port;
    expect(port.fixed_ips.map((f: { subnet_id: string }) => f.subnet_id)).toEqual([sub2.id]);
    // with no deletion pending, a port create does not join the network's subject
    expect((await fx.store.readSubject(`evt.network.${net.id}`)).map((e) => e.type)).not.toContain('network.port_joined');
    expect((await fx.api('PUT', `/v2.0/ports/${port.id}`, { port: { name: 'after' } }, alice)).status).toBe(200);
    expect((await fx.api('DELETE', `/v2.0/networks/${net.id}`, undefined, alice)).status).toBe(409);
    expect((await fx.api('DELETE', `/v2.0/ports/${port.id}`, undefined, alice)).status).toBe(204);
    expect((await fx.api('DELETE', `/v2.0/networks/${net.id}`, undefined, alice)).status).toBe(204);
  });
});
