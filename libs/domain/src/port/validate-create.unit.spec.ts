import zed from '../__fixtures__/zed-port.json';
import {
  ACTORS, ZedCase, ZedFile, actorOf, isError, networksOf, portsOf, subnetsOf, thrown, usage, withoutOmitted, zedError,
} from '../__fixtures__/zed';
import { defaultDomainConfig } from '../config';
import { canSeeSubnet } from '../subnet/visibility';
import { buildPort } from './build';
import { presentPort } from './present';
import { validatePortCreate } from './validate-create';

const file = zed as unknown as ZedFile;
const cfg = defaultDomainConfig;
const networks = networksOf(file);
const subnets = subnetsOf(file);
const ports = portsOf(file);
const creates = Object.entries(file.cases).filter(([, c]) => c.request.method === 'POST');

/** What the gateway looks up for a port create. */
function ctxFor(c: ZedCase) {
  const networkId = (c.request.body as any)?.port?.network_id;
  const actor = actorOf(c);
  const subnetExists = (id: string) =>
    subnets.some((s) => s.id === id && canSeeSubnet(s, networks.find((n) => n.id === s.network_id), actor));
  return {
    network: networks.find((n) => n.id === networkId),
    subnets: subnets.filter((s) => s.network_id === networkId),
    ...usage(ports, networkId),
    subnetExists,
  };
}
const create = (c: ZedCase) => validatePortCreate(c.request.body, actorOf(c), ctxFor(c), cfg);

describe('validatePortCreate against Zed', () => {
  it.each(creates.filter(([, c]) => isError(c)))('%s → Zed error', (_name, c) => {
    expect(thrown(() => create(c))).toEqual(zedError(c));
  });

  it.each(creates.filter(([, c]) => !isError(c)))('%s → the port Zed created', (_name, c) => {
    const plan = create(c);
    const z = c.response.body.port;
    // the subnets asked for are the subnets Zed allocated from
    const asked = plan.ipRequests.map((r) => r.subnet_id).sort();
    expect(asked).toEqual(z.fixed_ips.map((f: any) => f.subnet_id).sort());
    // with Zed's MAC and addresses, the port reads like Zed's (security groups come later: Zed adds its default group)
    const port = buildPort(plan, { id: z.id, now: z.created_at, mac_address: z.mac_address, fixed_ips: z.fixed_ips });
    const ours = presentPort(port, actorOf(c));
    const theirs = withoutOmitted(z);
    delete theirs.security_groups;
    delete ours.security_groups;
    if (z['binding:vif_type'] === 'binding_failed') ours['binding:vif_type'] = 'binding_failed'; // no agents in Zed either way
    expect(ours).toEqual(theirs);
  });
});

describe('address requests', () => {
  const net1 = networks.find((n) => n.name === 'dom-fx-net1')!;
  const onNet1 = { network: net1, subnets: subnets.filter((s) => s.network_id === net1.id), ...usage(ports, net1.id) };
  const [v4] = onNet1.subnets.filter((s) => s.ip_version === 4);
  const [v6] = onNet1.subnets.filter((s) => s.ip_version === 6);

  it('without fixed_ips: one IPv4 address and the SLAAC address', () => {
    const plan = validatePortCreate({ port: { network_id: net1.id } }, ACTORS.p1, onNet1, cfg);
    expect(plan.ipRequests).toEqual([{ subnet_id: v4.id }, { subnet_id: v6.id, eui64: true }]);
    expect(plan.mac_address).toBeNull();
  });
  it('a network without subnets gives no addresses', () => {
    const empty = networks.find((n) => n.name === 'dom-fx-empty')!;
    const plan = validatePortCreate({ port: { network_id: empty.id } }, ACTORS.p1, { ...onNet1, network: empty, subnets: [] }, cfg);
    expect(plan.ipRequests).toEqual([]);
  });
  it('several IPv4 subnets: the first, the others as fallbacks', () => {
    const extra = { ...v4, id: 'b9a3e4a4-7a54-4a4c-9a2c-1f6f1f0d0003', cidr: '10.20.1.0/24' };
    const plan = validatePortCreate({ port: { network_id: net1.id } }, ACTORS.p1, { ...onNet1, subnets: [v4, extra, v6] }, cfg);
    expect(plan.ipRequests[0]).toEqual({ subnet_id: v4.id, fallback_subnet_ids: [extra.id] });
  });
  it('an address asked by itself is found in its subnet', () => {
    const plan = validatePortCreate({ port: { network_id: net1.id, fixed_ips: [{ ip_address: '10.20.0.9' }] } }, ACTORS.p1, onNet1, cfg);
    expect(plan.ipRequests).toEqual([{ subnet_id: v4.id, ip_address: '10.20.0.9' }, { subnet_id: v6.id, eui64: true }]);
  });
  it('router interfaces may take the gateway and get no SLAAC address', () => {
    const body = { port: { network_id: net1.id, device_owner: 'network:router_interface', fixed_ips: [{ ip_address: '10.20.0.1' }] } };
    expect(validatePortCreate(body, ACTORS.p1, onNet1, cfg).ipRequests).toEqual([{ subnet_id: v4.id, ip_address: '10.20.0.1' }]);
  });
  it('port security follows the network unless given', () => {
    const closed = { ...net1, port_security_enabled: false };
    expect(validatePortCreate({ port: { network_id: net1.id } }, ACTORS.p1, { ...onNet1, network: closed }, cfg).attrs.port_security_enabled).toBe(false);
  });
  it('the requested MAC is normalised', () => {
    const plan = validatePortCreate({ port: { network_id: net1.id, mac_address: 'FA-16-3E-00-77-01' } }, ACTORS.p1, onNet1, cfg);
    expect(plan.mac_address).toBe('fa:16:3e:00:77:01');
  });
  it('a MAC in use in another spelling is still in use', () => {
    const body = { port: { network_id: net1.id, mac_address: 'FA:16:3E:AA:BB:01' } };
    expect(thrown(() => validatePortCreate(body, ACTORS.p1, onNet1, cfg))).toMatchObject({ status: 409, type: 'MacAddressInUse' });
  });
  it('address pairs without a MAC take the port MAC when built', () => {
    const plan = validatePortCreate({ port: { network_id: net1.id, allowed_address_pairs: [{ ip_address: '10.9.9.9' }] } }, ACTORS.p1, onNet1, cfg);
    const port = buildPort(plan, { id: 'b9a3e4a4-7a54-4a4c-9a2c-1f6f1f0d0004', now: '2026-11-23T04:30:00Z', mac_address: 'fa:16:3e:01:02:03', fixed_ips: [] });
    expect(port.allowed_address_pairs).toEqual([{ ip_address: '10.9.9.9', mac_address: 'fa:16:3e:01:02:03' }]);
    expect([port.status, port['binding:vif_type'], port['binding:vnic_type'], port.revision_number]).toEqual(['DOWN', 'unbound', 'normal', 1]);
  });
  it('the configured address-pair limit applies', () => {
    const body = { port: { network_id: net1.id, allowed_address_pairs: [{ ip_address: '10.9.9.9' }, { ip_address: '10.9.9.8' }] } };
    expect(thrown(() => validatePortCreate(body, ACTORS.p1, onNet1, { ...cfg, maxAllowedAddressPairs: 1 }))).toEqual({
      status: 400, type: 'AllowedAddressPairExhausted', message: 'The number of allowed address pair exceeds the maximum 1.',
    });
  });
});
