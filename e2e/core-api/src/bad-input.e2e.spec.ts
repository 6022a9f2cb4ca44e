import { SuiteFixture, member, type Answer } from '@neutrino/testing-suite';

/** Done-when 2: every bad request gets Neutron's code and type, and the log does not move. */
describe('bad input changes nothing', () => {
  let fx: SuiteFixture;
  let netId: string;
  let subnetId: string;
  let portId: string;
  let portIp: string;
  const alice = member('alice');
  const bob = member('bob');

  beforeAll(async () => {
    fx = await SuiteFixture.start();
    netId = (await fx.api('POST', '/v2.0/networks', { network: { name: 'a-net' } }, alice)).body.network.id;
    subnetId = (await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: netId, cidr: '10.1.0.0/24', ip_version: 4 } }, alice)).body.subnet.id;
    const port = (await fx.api('POST', '/v2.0/ports', { port: { network_id: netId } }, alice)).body.port;
    portId = port.id;
    portIp = port.fixed_ips[0].ip_address;
  });
  afterAll(async () => {
    await fx?.stop();
  });

  type Case = [name: string, send: () => Promise<Answer>, status: number, type: string, message: RegExp];
  const cases: Case[] = [
    ['malformed JSON', () => fx.api('POST', '/v2.0/networks', '{"network":', alice), 400, 'HTTPBadRequest', /Body contains invalid data/],
    ['missing resource key', () => fx.api('POST', '/v2.0/networks', { foo: {} }, alice), 400, 'HTTPBadRequest', /Unable to find 'network' in request body/],
    ['unknown attribute', () => fx.api('POST', '/v2.0/networks', { network: { foo: 1 } }, alice), 400, 'HTTPBadRequest', /Unrecognized attribute\(s\) 'foo'/],
    ['read-only attribute', () => fx.api('POST', '/v2.0/networks', { network: { id: 'abc' } }, alice), 400, 'HTTPBadRequest', /Attribute 'id' not allowed in POST/],
    ['wrong attribute type (string)', () => fx.api('POST', '/v2.0/networks', { network: { name: 5 } }, alice), 400, 'HTTPBadRequest', /Invalid input for name\. Reason: '5' is not a valid string/],
    ['wrong attribute type (boolean)', () => fx.api('POST', '/v2.0/networks', { network: { admin_state_up: 'maybe' } }, alice), 400, 'InvalidInput', /'maybe' cannot be converted to boolean/],
    ['invalid CIDR', () => fx.api('POST', '/v2.0/subnets', { subnet: { network_id: netId, cidr: '10.0.0.0/33', ip_version: 4 } }, alice), 400, 'InvalidInput', /10\.0\.0\.0\/33 is not in a CIDR format/],
    ['pool outside the CIDR', () => fx.api('POST', '/v2.0/subnets', { subnet: { network_id: netId, cidr: '10.2.0.0/24', ip_version: 4, allocation_pools: [{ start: '10.3.0.2', end: '10.3.0.9' }] } }, alice), 400, 'OutOfBoundsAllocationPool', /spans beyond the subnet cidr 10\.2\.0\.0\/24/],
    ['gateway inside a pool', () => fx.api('POST', '/v2.0/subnets', { subnet: { network_id: netId, cidr: '10.2.0.0/24', ip_version: 4, gateway_ip: '10.2.0.5', allocation_pools: [{ start: '10.2.0.2', end: '10.2.0.9' }] } }, alice), 409, 'GatewayConflictWithAllocationPools', /Gateway ip 10\.2\.0\.5 conflicts/],
    ['overlapping CIDR on one network', () => fx.api('POST', '/v2.0/subnets', { subnet: { network_id: netId, cidr: '10.1.0.128/25', ip_version: 4 } }, alice), 400, 'InvalidInput', /overlaps with another subnet/],
    ['fixed IP outside the subnet', () => fx.api('POST', '/v2.0/ports', { port: { network_id: netId, fixed_ips: [{ subnet_id: subnetId, ip_address: '10.5.0.5' }] } }, alice), 400, 'InvalidIpForSubnet', /10\.5\.0\.5 is not a valid IP for the specified subnet/],
    ['duplicate fixed IP in one request', () => fx.api('POST', '/v2.0/ports', { port: { network_id: netId, fixed_ips: [{ ip_address: '10.1.0.50' }, { ip_address: '10.1.0.50' }] } }, alice), 400, 'HTTPBadRequest', /Duplicate IP address '10\.1\.0\.50'/],
    ['fixed IP already in use', () => fx.api('POST', '/v2.0/ports', { port: { network_id: netId, fixed_ips: [{ ip_address: portIp }] } }, alice), 409, 'IpAddressAlreadyAllocated', /already allocated in subnet/],
    ['network that does not exist', () => fx.api('POST', '/v2.0/ports', { port: { network_id: '6b1e2f4a-0000-4000-8000-000000000000' } }, alice), 404, 'NetworkNotFound', /could not be found/],
    ['subnet on a network that does not exist', () => fx.api('POST', '/v2.0/subnets', { subnet: { network_id: '6b1e2f4a-0000-4000-8000-000000000000', cidr: '10.7.0.0/24', ip_version: 4 } }, alice), 404, 'NetworkNotFound', /could not be found/],
    ['stale If-Match', () => fx.api('PUT', `/v2.0/networks/${netId}`, { network: { name: 'x' } }, { ...alice, 'If-Match': 'revision_number=99' }), 412, 'RevisionNumberConstraintFailed', /Constrained to 99, but current revision is/],
    ['deleting a network with ports', () => fx.api('DELETE', `/v2.0/networks/${netId}`, undefined, alice), 409, 'NetworkInUse', /one or more ports still in use/],
    ['deleting a subnet with ports', () => fx.api('DELETE', `/v2.0/subnets/${subnetId}`, undefined, alice), 409, 'SubnetInUse', /One or more ports have an IP allocation/],
    ['another project reads a private network', () => fx.api('GET', `/v2.0/networks/${netId}`, undefined, bob), 404, 'NetworkNotFound', /could not be found/],
    ['another project updates it', () => fx.api('PUT', `/v2.0/networks/${netId}`, { network: { name: 'mine' } }, bob), 404, 'NetworkNotFound', /could not be found/],
    ['another project deletes its port', () => fx.api('DELETE', `/v2.0/ports/${portId}`, undefined, bob), 404, 'PortNotFound', /could not be found/],
    ['another project plugs into it', () => fx.api('POST', '/v2.0/ports', { port: { network_id: netId } }, bob), 404, 'NetworkNotFound', /could not be found/],
    ['a member sets shared', () => fx.api('POST', '/v2.0/networks', { network: { shared: true } }, alice), 403, 'PolicyNotAuthorized', /create_network:shared/],
    ['a member sets provider attributes', () => fx.api('POST', '/v2.0/networks', { network: { 'provider:network_type': 'vxlan' } }, alice), 403, 'PolicyNotAuthorized', /provider:network_type/],
    ['a member binds a port', () => fx.api('POST', '/v2.0/ports', { port: { network_id: netId, 'binding:host_id': 'h1' } }, alice), 403, 'PolicyNotAuthorized', /binding:host_id/],
    ['an unknown filter', () => fx.api('GET', '/v2.0/networks?foo=bar', undefined, alice), 400, 'HTTPBadRequest', /\['foo'\] is invalid attribute for filtering/],
  ];

  it.each(cases)('%s', async (_name, send, status, type, message) => {
    const before = await fx.store.lastSeq();
    const answer = await send();
    expect({ status: answer.status, type: answer.body?.NeutronError?.type }).toEqual({ status, type });
    expect(answer.body.NeutronError.message).toMatch(message);
    expect(answer.body.NeutronError).toHaveProperty('detail');
    expect(await fx.store.lastSeq()).toBe(before);
  });

  it('left nothing behind: one network, one subnet, one port, one address', async () => {
    expect((await fx.api('GET', '/v2.0/networks')).body.networks).toHaveLength(1);
    expect((await fx.api('GET', '/v2.0/subnets')).body.subnets).toHaveLength(1);
    expect((await fx.api('GET', '/v2.0/ports')).body.ports).toHaveLength(1);
    const allocations = await fx.store.readSubject(`evt.ipam.${subnetId}`);
    expect(allocations.map((e) => e.type)).toEqual(['ip.allocated']);
  });
});
