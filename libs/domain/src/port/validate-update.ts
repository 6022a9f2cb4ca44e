import type { Actor } from '../actor';
import { isSet, parseAttributes } from '../common/attributes';
import { unwrapUpdate } from '../common/body';
import { portNotFound } from '../common/errors';
import { enforce } from '../common/policy';
import { pyEquals } from '../common/validators';
import type { DomainConfig } from '../config';
import type { ExtraDhcpOpt, Network, Port, Subnet } from '../model';
import { sanitizeMac } from '@neutrino/netaddr';
import { portAttrs } from './attributes';
import { FixedIpsChange, changedFixedIps, isEui64Address } from './changed-ips';
import {
  addressPairsNeedPortSecurity, macInUse, portBound, portHasSecurityGroup, securityGroupsNeedPortSecurity,
  toPairRequests,
} from './checks';
import { mergeExtraDhcpOpts } from './extra-dhcp-merge';
import { checkAddressesFree } from './fixed-ips';
import { checkBindingProfile, checkFixedIpCount } from './limits';
import { portRules } from './policy';
import type { AddressUsage } from './address-usage';
import { canSeePort } from './visibility';

export interface PortUpdateContext {
  network: Network;
  subnets: Subnet[];
  /** Addresses and MACs in use on the network (the port's own included). */
  usage: AddressUsage;
  subnetExists?: (id: string) => boolean;
}

export interface PortUpdatePlan {
  /** Changed attributes, without fixed_ips. */
  changes: Partial<Port>;
  /** Present when fixed_ips were given (or a MAC change re-derives EUI-64 addresses). */
  fixedIps?: FixedIpsChange;
}

const UNBOUND = ['unbound', 'binding_failed'];
const SIMPLE = [
  'name', 'description', 'admin_state_up', 'device_id', 'device_owner', 'security_groups', 'port_security_enabled', 'qos_policy_id',
  'binding:host_id', 'binding:profile', 'binding:vnic_type',
] as const;

/** PUT /v2.0/ports/<id>: the changes and the address moves, or Zed's error. */
export function validatePortUpdate(
  body: unknown,
  current: Port,
  actor: Actor,
  ctx: PortUpdateContext,
  cfg: DomainConfig,
): PortUpdatePlan {
  const map = portAttrs(cfg);
  const item = parseAttributes(unwrapUpdate(body, 'port', 'ports'), map, actor, false);
  checkFixedIpCount(item.fixed_ips, cfg);
  if (!canSeePort(current, ctx.network, actor)) throw portNotFound(current.id);
  const merged = { ...current, ...item };
  enforce({
    action: 'update_port',
    actor,
    item: merged,
    map,
    rules: portRules(actor, current.tenant_id, merged.device_owner, ctx.network),
    updating: Object.keys(item),
    ownerProject: current.tenant_id,
  });

  const newMac = isSet(item.mac_address) ? sanitizeMac(item.mac_address as string) : current.mac_address;
  const macChanged = newMac !== current.mac_address;
  if (macChanged) {
    if (!UNBOUND.includes(current['binding:vif_type']))
      throw portBound(current.id, current['binding:vif_type'], current.mac_address, newMac);
    if (ctx.usage.macInUse(newMac)) throw macInUse(current.network_id, newMac);
  }

  const deviceOwner = merged.device_owner as string;
  let fixedIps: FixedIpsChange | undefined;
  const regenerates = macChanged && current.fixed_ips.some((f) => isEui64Address(f.ip_address));
  if ('fixed_ips' in item || regenerates) {
    const requested = (item.fixed_ips as Array<Record<string, unknown>> | undefined) ?? current.fixed_ips.map((f) => ({ ...f }));
    const lookup = { networkId: current.network_id, subnets: ctx.subnets, deviceOwner, subnetExists: ctx.subnetExists };
    fixedIps = changedFixedIps(current.fixed_ips, requested, lookup, macChanged);
    checkAddressesFree(fixedIps.add, ctx.usage, current.fixed_ips);
  }

  checkPortSecurity(item, current);
  checkBindingProfile(item['binding:profile']);

  const changes: Partial<Port> = {};
  const set = (key: keyof Port, value: unknown) => {
    if (!pyEquals(value, current[key])) (changes as Record<string, unknown>)[key] = value;
  };
  for (const key of SIMPLE) if (key in item) set(key, normalize(key, item[key]));
  if (macChanged) changes.mac_address = newMac;
  if ('allowed_address_pairs' in item)
    set('allowed_address_pairs', toPairRequests(item.allowed_address_pairs).map((p) => ({ ip_address: p.ip_address, mac_address: p.mac_address ?? newMac })));
  if (isSet(item.extra_dhcp_opts))
    set('extra_dhcp_opts', mergeExtraDhcpOpts(current.extra_dhcp_opts, item.extra_dhcp_opts as Array<Record<string, unknown>>) as ExtraDhcpOpt[]);
  return fixedIps ? { changes, fixedIps } : { changes };
}

const normalize = (key: string, value: unknown): unknown => {
  if (key === 'binding:host_id') return value ?? '';
  if (key === 'binding:profile') return value ?? {};
  return value;
};

/** _portsec_ext_port_update_processing. */
function checkPortSecurity(item: Record<string, unknown>, current: Port): void {
  const portSecurity = isSet(item.port_security_enabled) ? (item.port_security_enabled as boolean) : current.port_security_enabled;
  if (portSecurity) return;
  const pairs = item.allowed_address_pairs as unknown[] | undefined;
  if (pairs && pairs.length) throw addressPairsNeedPortSecurity();
  const deletesPairs = 'allowed_address_pairs' in item && !(pairs && pairs.length);
  if (!deletesPairs && current.allowed_address_pairs.length) throw addressPairsNeedPortSecurity();
  const groups = item.security_groups as unknown[] | undefined;
  if (groups && groups.length) throw securityGroupsNeedPortSecurity();
  const deletesGroups = 'security_groups' in item && !(groups && groups.length);
  if (!deletesGroups && current.security_groups.length) throw portHasSecurityGroup();
}
