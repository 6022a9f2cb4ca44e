import zed from '../__fixtures__/zed-port.json';
import {
  ACTORS, ZedCase, ZedFile, actorOf, isError, networksOf, portsOf, subnetsOf, thrown, toPort, usage, zedError,
} from '../__fixtures__/zed';
import { defaultDomainConfig } from '../config';
import type { FixedIp, Port } from '../model';
import { eui64Address, parseCidr } from '@neutrino/netaddr';
import { validatePortUpdate } from './validate-update';

const file = zed as unknown as ZedFile;
const cfg = defaultDomainConfig;
const networks = networksOf(file);
const subnets = subnetsOf(file);
const ports = portsOf(file);
const updates = Object.entries(file.cases).filter(([, c]) => c.request.method === 'PUT');

function ctxFor(current: Port) {
  return {
    network: networks.find((n) => n.id === current.network_id)!,
    subnets: subnets.filter((s) => s.network_id === current.network_id),
    ...usage(ports, current.network_id, current.id),
  };
}
const update = (c: ZedCase) => {
  const current = toPort(c.before!);
  return validatePortUpdate(c.request.body, current, actorOf(c), ctxFor(current), cfg);
};
const ips = (list: FixedIp[]) => list.map((f) => f.ip_address).sort();

describe('validatePortUpdate against Zed', () => {
  it.each(updates.filter(([, c]) => isError(c)))('%s → Zed error', (_name, c) => {
    expect(thrown(() => update(c))).toEqual(zedError(c));
  });

  it.each(updates.filter(([, c]) => !isError(c)))('%s → what Zed changed', (_name, c) => {
    const plan = update(c);
    const before = c.before!;
    const after = c.response.body.port;
    const compared = ['name', 'description', 'admin_state_up', 'device_id', 'device_owner', 'mac_address', 'security_groups',
      'port_security_enabled', 'binding:host_id', 'binding:profile', 'binding:vnic_type'];
    const expected = Object.fromEntries(
      compared.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => [k, after[k]]),
    );
    expect(plan.changes).toEqual(expected);
    // the addresses after the update: kept + released-free + added (Zed's, for the added ones)
    const kept = plan.fixedIps ? plan.fixedIps.keep : before.fixed_ips;
    const added = plan.fixedIps ? plan.fixedIps.add : [];
    expect(kept.length + added.length).toBe(after.fixed_ips.length);
    expect(ips(kept).every((ip) => after.fixed_ips.some((f: FixedIp) => f.ip_address === ip))).toBe(true);
    for (const r of added) {
      if (r.ip_address) expect(after.fixed_ips).toContainEqual({ subnet_id: r.subnet_id, ip_address: r.ip_address });
      if (r.eui64) {
        const cidr = parseCidr(subnets.find((s) => s.id === r.subnet_id)!.cidr)!;
        expect(after.fixed_ips).toContainEqual({ subnet_id: r.subnet_id, ip_address: eui64Address(cidr, after.mac_address) });
      }
    }
  });
});

describe('port updates', () => {
  const portU = toPort(file.setup.portU);
  const ctx = ctxFor(portU);
  const [v4] = ctx.subnets.filter((s) => s.ip_version === 4);

  it('fixed_ips: a new address is added, the old one released, the SLAAC address stays', () => {
    const plan = validatePortUpdate({ port: { fixed_ips: [{ ip_address: '10.20.0.11' }] } }, portU, ACTORS.p1, ctx, cfg);
    expect(plan.fixedIps).toEqual({
      keep: portU.fixed_ips.filter((f) => f.subnet_id !== v4.id),
      add: [{ subnet_id: v4.id, ip_address: '10.20.0.11' }],
      release: portU.fixed_ips.filter((f) => f.subnet_id === v4.id),
    });
  });
  it('no fixed_ips, no address plan', () => {
    expect(validatePortUpdate({ port: { name: 'n' } }, portU, ACTORS.p1, ctx, cfg)).toEqual({ changes: { name: 'n' } });
  });
  it('a bound port keeps its MAC', () => {
    const bound = { ...portU, 'binding:vif_type': 'ovs' };
    expect(thrown(() => validatePortUpdate({ port: { mac_address: 'fa:16:3e:aa:bb:77' } }, bound, ACTORS.adm, ctx, cfg))).toEqual({
      status: 409, type: 'PortBound',
      message: `Unable to complete operation on port ${portU.id}, port is already bound, port type: ovs, old_mac ${portU.mac_address}, new_mac fa:16:3e:aa:bb:77.`,
    });
  });
  it('extra_dhcp_opts merge by name; a null value removes one', () => {
    const withOpts = { ...portU, extra_dhcp_opts: [{ opt_name: 'mtu', opt_value: '1400' }, { opt_name: 'ntp-server', opt_value: '10.0.0.1' }] };
    const body = { port: { extra_dhcp_opts: [{ opt_name: 'mtu', opt_value: null }, { opt_name: 'domain-name', opt_value: 'x.org' }] } };
    expect(validatePortUpdate(body, withOpts, ACTORS.p1, ctx, cfg).changes.extra_dhcp_opts).toEqual([
      { opt_name: 'ntp-server', opt_value: '10.0.0.1' },
      { opt_name: 'domain-name', opt_value: 'x.org' },
    ]);
  });
  it('address pairs without a MAC take the port MAC', () => {
    const body = { port: { allowed_address_pairs: [{ ip_address: '10.9.9.9' }] } };
    expect(validatePortUpdate(body, portU, ACTORS.p1, ctx, cfg).changes.allowed_address_pairs).toEqual([
      { ip_address: '10.9.9.9', mac_address: portU.mac_address },
    ]);
  });
});
