import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import { isSet, parseAttributes } from '../common/attributes';
import { unwrapSingular } from '../common/body';
import { httpForbidden, networkNotFound } from '../common/errors';
import { enforce } from '../common/policy';
import type { DomainConfig } from '../config';
import type { ExtraDhcpOpt, Network, Subnet } from '../model';
import { sanitizeMac } from '@neutrino/netaddr';
import { canSeeNetwork } from '../network/visibility';
import { portAttrs } from './attributes';
import {
  PairRequest, addressPairsNeedPortSecurity, macInUse, securityGroupsNeedPortSecurity, toPairRequests,
} from './checks';
import type { AddressUsage } from './address-usage';
import { IpRequest, autoAddressRequests, checkAddressesFree, implicitRequests, requestsForFixedIps } from './fixed-ips';
import { checkBindingProfile, checkFixedIpCount } from './limits';
import { portRules } from './policy';
import { sharedWith } from '../rbac/network-rbac';

export interface PortCreateContext {
  network: Network | undefined;
  /** The network's subnets. */
  subnets: Subnet[];
  /** Addresses and MACs in use on the network. */
  usage: AddressUsage;
  /** Whether a subnet id outside this network exists and is visible to the caller (else SubnetNotFound); default: yes. */
  subnetExists?: (id: string) => boolean;
}

export interface PortCreateAttrs {
  name: string;
  description: string;
  tenant_id: string;
  project_id: string;
  network_id: string;
  admin_state_up: boolean;
  device_id: string;
  device_owner: string;
  security_groups: string[];
  port_security_enabled: boolean;
  qos_policy_id: string | null;
  allowed_address_pairs: PairRequest[];
  extra_dhcp_opts: ExtraDhcpOpt[];
  'binding:host_id': string;
  'binding:profile': Record<string, unknown>;
  'binding:vnic_type': string;
  tags: string[];
}

export interface PortCreatePlan {
  attrs: PortCreateAttrs;
  ipRequests: IpRequest[];
  /** The MAC asked for, or null to generate one. */
  mac_address: string | null;
}

/** POST /v2.0/ports: what to allocate and record, or Zed's error. */
export function validatePortCreate(body: unknown, actor: Actor, ctx: PortCreateContext, cfg: DomainConfig): PortCreatePlan {
  const map = portAttrs(cfg);
  const item = parseAttributes(unwrapSingular(body, 'port'), map, actor, true);
  checkFixedIpCount(item.fixed_ips, cfg);
  const networkId = item.network_id as string;
  const network = ctx.network;
  if (!isAdmin(actor)) {
    if (!network || !canSeeNetwork(network, actor)) throw networkNotFound(networkId);
    if (!sharedWith(network, item.tenant_id))
      throw httpForbidden(`Tenant ${item.tenant_id} not allowed to create port on this network`);
    const rules = portRules(actor, item.tenant_id, item.device_owner, network);
    enforce({ action: 'create_port', actor, item, map, rules, ownerProject: item.tenant_id });
  }
  if (!network) throw networkNotFound(networkId);

  const mac = isSet(item.mac_address) ? sanitizeMac(item.mac_address as string) : null;
  if (mac && ctx.usage.macInUse(mac)) throw macInUse(networkId, mac);

  const deviceOwner = item.device_owner as string;
  const lookup = { networkId, subnets: ctx.subnets, deviceOwner, subnetExists: ctx.subnetExists };
  const explicit = isSet(item.fixed_ips)
    ? requestsForFixedIps(item.fixed_ips as Array<Record<string, unknown>>, lookup)
    : implicitRequests(ctx.subnets);
  const ipRequests = [...explicit, ...autoAddressRequests(ctx.subnets, deviceOwner)];
  checkAddressesFree(ipRequests, ctx.usage);

  const portSecurity = isSet(item.port_security_enabled)
    ? (item.port_security_enabled as boolean)
    : network.port_security_enabled;
  const pairs = toPairRequests(item.allowed_address_pairs);
  if (pairs.length && !portSecurity) throw addressPairsNeedPortSecurity();
  const groups = (item.security_groups as string[] | undefined) ?? [];
  if (!portSecurity && groups.length) throw securityGroupsNeedPortSecurity();
  checkBindingProfile(item['binding:profile']);

  return {
    attrs: {
      name: item.name as string,
      description: item.description as string,
      tenant_id: item.tenant_id as string,
      project_id: item.project_id as string,
      network_id: networkId,
      admin_state_up: item.admin_state_up as boolean,
      device_id: item.device_id as string,
      device_owner: deviceOwner,
      security_groups: [...groups],
      port_security_enabled: portSecurity,
      qos_policy_id: (item.qos_policy_id as string | null | undefined) ?? null,
      allowed_address_pairs: pairs,
      extra_dhcp_opts: ((item.extra_dhcp_opts as ExtraDhcpOpt[] | null) ?? []).map((o) => ({ ...o })),
      'binding:host_id': (item['binding:host_id'] as string | null | undefined) ?? '',
      'binding:profile': (item['binding:profile'] as Record<string, unknown> | null | undefined) ?? {},
      'binding:vnic_type': item['binding:vnic_type'] as string,
      tags: [...((item.tags as string[] | undefined) ?? [])],
    },
    ipRequests,
    mac_address: mac,
  };
}
