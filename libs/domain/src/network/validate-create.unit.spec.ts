import zed from '../__fixtures__/zed-network.json';
import { ACTORS, ZedFile, actorOf, isError, thrown, zedError } from '../__fixtures__/zed';
import { DomainConfig, defaultDomainConfig } from '../config';
import { buildNetwork } from './build';
import { validateNetworkCreate } from './validate-create';

const file = zed as unknown as ZedFile;
const cfg = defaultDomainConfig;
const creates = Object.entries(file.cases).filter(([, c]) => c.request.method === 'POST');

describe('validateNetworkCreate against Zed', () => {
  it.each(creates.filter(([, c]) => isError(c)))('%s → Zed error', (_name, c) => {
    expect(thrown(() => validateNetworkCreate(c.request.body, actorOf(c), cfg))).toEqual(zedError(c));
  });

  it.each(creates.filter(([, c]) => !isError(c)))('%s → the network Zed created', (_name, c) => {
    const plan = validateNetworkCreate(c.request.body, actorOf(c), cfg);
    const z = c.response.body.network;
    // what the segment allocator would hand back (members don't see the id Zed picked)
    const allocated = 'provider:segmentation_id' in z ? z['provider:segmentation_id'] : 77;
    const seg = {
      network_id: z.id,
      network_type: plan.segment.network_type,
      physical_network: plan.segment.physical_network,
      segmentation_id: plan.segment.explicit ? plan.segment.segmentation_id : allocated,
    };
    const n = buildNetwork(plan, seg, { id: z.id, now: z.created_at });
    for (const key of ['name', 'tenant_id', 'project_id', 'admin_state_up', 'mtu', 'status', 'subnets', 'shared',
      'router:external', 'description', 'port_security_enabled', 'tags', 'revision_number'] as const)
      expect([key, n[key]]).toEqual([key, z[key]]);
    if ('provider:network_type' in z) {
      expect(n['provider:network_type']).toBe(z['provider:network_type']);
      expect(n['provider:physical_network']).toBe(z['provider:physical_network']);
      expect(n['provider:segmentation_id']).toBe(z['provider:segmentation_id']);
    }
  });
});

describe('segment requests', () => {
  const admin = ACTORS.adm;
  it('a network without provider attributes asks for the first tenant type, to be allocated', () => {
    const plan = validateNetworkCreate({ network: {} }, ACTORS.p1, cfg);
    expect(plan.segment).toEqual({ network_type: 'vxlan', physical_network: null, segmentation_id: null, explicit: false });
  });
  it('provider attributes are explicit', () => {
    const body = { network: { 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1' } };
    expect(validateNetworkCreate(body, admin, cfg).segment).toEqual({
      network_type: 'vlan', physical_network: 'physnet1', segmentation_id: null, explicit: true,
    });
  });
  it('a VLAN tenant type gets MTU 1500 and no physnet yet', () => {
    const vlanCfg: DomainConfig = { ...cfg, tenantNetworkTypes: ['vlan'] };
    const plan = validateNetworkCreate({ network: {} }, ACTORS.p1, vlanCfg);
    expect([plan.segment.network_type, plan.attrs.mtu]).toEqual(['vlan', 1500]);
  });
  it('no tenant network types → NoNetworkAvailable (503)', () => {
    expect(thrown(() => validateNetworkCreate({ network: {} }, ACTORS.p1, { ...cfg, tenantNetworkTypes: [] }))).toEqual({
      status: 503,
      type: 'NoNetworkAvailable',
      message: 'Unable to create the network. No tenant network is available for allocation.',
    });
  });
  it('an IPv6 underlay leaves 1430 bytes for VXLAN', () => {
    expect(validateNetworkCreate({ network: {} }, ACTORS.p1, { ...cfg, overlayIpVersion: 6 }).attrs.mtu).toBe(1430);
  });
  it('flat networks are limited to the configured physnets', () => {
    const only = { ...cfg, flatNetworks: ['physnet1'] };
    const body = { network: { 'provider:network_type': 'flat', 'provider:physical_network': 'other' } };
    expect(thrown(() => validateNetworkCreate(body, admin, only))).toEqual({
      status: 400, type: 'InvalidInput',
      message: "Invalid input for operation: physical_network 'other' unknown for flat provider network.",
    });
    expect(thrown(() => validateNetworkCreate(body, admin, { ...cfg, flatNetworks: [] }))).toEqual({
      status: 400, type: 'InvalidInput', message: 'Invalid input for operation: Flat provider networks are disabled.',
    });
  });

  // Deliberate difference: Zed accepts VNI 0 and answers 500 above 2^24-1.
  it.each([0, 16777216])('VXLAN VNI %i is out of range', (vni) => {
    const body = { network: { 'provider:network_type': 'vxlan', 'provider:segmentation_id': vni } };
    expect(thrown(() => validateNetworkCreate(body, admin, cfg))).toEqual({
      status: 400, type: 'InvalidInput', message: 'Invalid input for operation: segmentation_id out of range (1 through 16777215).',
    });
  });
  it('VXLAN VNI 16777215 is the largest', () => {
    const body = { network: { 'provider:network_type': 'vxlan', 'provider:segmentation_id': 16777215 } };
    expect(validateNetworkCreate(body, admin, cfg).segment.segmentation_id).toBe(16777215);
  });
  // GRE: ML2's gre type driver (the reference server's ml2_conf has no gre in type_drivers, so it answers "not supported"):
  // no physical network, keys 1..2^32-1 (as for VXLAN's VNIs, 0 and above the field are refused here)
  it('GRE provider networks (with gre in typeDrivers): a key, no physical network', () => {
    const greCfg = { ...cfg, typeDrivers: [...cfg.typeDrivers, 'gre' as const] };
    const ok = { network: { 'provider:network_type': 'gre', 'provider:segmentation_id': 4294967295 } };
    expect(validateNetworkCreate(ok, admin, greCfg).segment).toEqual({ network_type: 'gre', physical_network: null, segmentation_id: 4294967295, explicit: true });
    // without it, as the reference answers
    expect(thrown(() => validateNetworkCreate(ok, admin, cfg))).toEqual({ status: 400, type: 'InvalidInput', message: "Invalid input for operation: network_type value 'gre' not supported." });
    expect(thrown(() => validateNetworkCreate({ network: { 'provider:network_type': 'gre', 'provider:physical_network': 'physnet1' } }, admin, greCfg))).toEqual({
      status: 400, type: 'InvalidInput', message: 'Invalid input for operation: provider:physical_network specified for gre network.',
    });
    for (const key of [0, 4294967296])
      expect(thrown(() => validateNetworkCreate({ network: { 'provider:network_type': 'gre', 'provider:segmentation_id': key } }, admin, greCfg))).toEqual({
        status: 400, type: 'InvalidInput', message: 'Invalid input for operation: segmentation_id out of range (1 through 4294967295).',
      });
  });
});
