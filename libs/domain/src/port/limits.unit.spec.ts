import { ACTORS, networksOf, portsOf, subnetsOf, thrown, usage, type ZedFile } from '../__fixtures__/zed';
import zed from '../__fixtures__/zed-port.json';
import { defaultDomainConfig as cfg } from '../config';
import { BINDING_PROFILE_LEN } from './limits';
import { validatePortCreate } from './validate-create';
import { validatePortUpdate } from './validate-update';

const file = zed as unknown as ZedFile;
const networks = networksOf(file);
const subnets = subnetsOf(file);
const ports = portsOf(file);
const net1 = networks.find((n) => n.name === 'dom-fx-net1')!;
const onNet1 = { network: net1, subnets: subnets.filter((s) => s.network_id === net1.id), ...usage(ports, net1.id) };
const [v4] = onNet1.subnets.filter((s) => s.ip_version === 4);
const admin = ACTORS.admin;

describe('binding:profile size', () => {
  // Zed: a profile whose jsonutils.dumps() is longer than 4095 characters (the ml2_port_bindings column)
  const tooLarge = { status: 400, type: 'InvalidInput', message: 'Invalid input for operation: binding:profile value too large.' };
  // {"a": "xxx…"} is 9 characters around the string
  const profileOf = (total: number) => ({ a: 'x'.repeat(total - 9) });

  it('up to the column size is accepted, one character more is Zed\'s 400', () => {
    const ok = { port: { network_id: net1.id, 'binding:profile': profileOf(BINDING_PROFILE_LEN) } };
    expect(validatePortCreate(ok, admin, onNet1, cfg).attrs['binding:profile']).toEqual(profileOf(BINDING_PROFILE_LEN));
    const big = { port: { network_id: net1.id, 'binding:profile': profileOf(BINDING_PROFILE_LEN + 1) } };
    expect(thrown(() => validatePortCreate(big, admin, onNet1, cfg))).toEqual(tooLarge);
  });

  it('is measured as Python writes it (", " separators, non-ASCII escaped)', () => {
    // 2,000 × "é" is 12,000 characters as \u00e9 escapes
    const body = { port: { network_id: net1.id, 'binding:profile': { a: 'é'.repeat(2000) } } };
    expect(thrown(() => validatePortCreate(body, admin, onNet1, cfg))).toEqual(tooLarge);
  });

  it('an update is held to the same limit', () => {
    const port = ports.find((p) => p.network_id === net1.id)!;
    const body = { port: { 'binding:profile': profileOf(BINDING_PROFILE_LEN + 1) } };
    expect(thrown(() => validatePortUpdate(body, port, admin, onNet1, cfg))).toEqual(tooLarge);
  });
});

describe('fixed IPs per port', () => {
  const exceeded = { status: 400, type: 'InvalidInput', message: 'Invalid input for operation: Exceeded maximum amount of fixed ips per port.' };
  // subnet_id only: valid whatever the count, so only the cap can refuse them
  const fixedIps = (n: number) => Array.from({ length: n }, () => ({ subnet_id: v4.id }));

  it('up to the setting is asked of ipam, one more is refused before anything is allocated', () => {
    const small = { ...cfg, maxFixedIpsPerPort: 3 };
    const plan = validatePortCreate({ port: { network_id: net1.id, fixed_ips: fixedIps(3) } }, admin, onNet1, small);
    expect(plan.ipRequests.filter((r) => r.subnet_id === v4.id)).toHaveLength(3);
    expect(thrown(() => validatePortCreate({ port: { network_id: net1.id, fixed_ips: fixedIps(4) } }, admin, onNet1, small))).toEqual(exceeded);
  });

  it('1,000 fixed IPs in one request are refused with the default setting', () => {
    expect(thrown(() => validatePortCreate({ port: { network_id: net1.id, fixed_ips: fixedIps(1000) } }, admin, onNet1, cfg))).toEqual(exceeded);
    const port = ports.find((p) => p.network_id === net1.id)!;
    expect(thrown(() => validatePortUpdate({ port: { fixed_ips: fixedIps(1000) } }, port, admin, onNet1, cfg))).toEqual(exceeded);
  });
});
