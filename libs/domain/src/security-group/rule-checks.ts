/** _validate_security_group_rule's checks on one parsed rule (after the attribute converters). */
import { parseCidr } from '@neutrino/netaddr';
import {
  ethertypeConflictWithProtocol, invalidIcmpValue, invalidPortRange, invalidPortValue, invalidProtocolForPort, missingIcmpType,
  multipleRemotes, parameterConflict, protocolRequiredWithPorts,
} from './errors';
import { ICMP_NUMBERS, IPV6_ONLY_PROTOCOLS, PORT_PROTOCOL_NUMBERS, canonicalIpv6Icmp, protocolNumber } from './protocols';

/** A rule as the checks see it (converted values). */
export interface RuleRequest {
  security_group_id: string;
  tenant_id: string;
  project_id: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  remote_address_group_id: string | null;
  description: string;
}

/** Canonical forms first (IPv6 ICMP names, the full port range as no range), then every check; returns the rule as stored. */
export function checkRule(rule: RuleRequest): RuleRequest {
  const r = { ...rule, protocol: canonicalIpv6Icmp(rule.protocol, rule.ethertype) };
  if (r.port_range_min === 1 && r.port_range_max === 65535) {
    r.port_range_min = null;
    r.port_range_max = null;
  }
  checkPortRange(r);
  checkIpPrefix(r);
  if (r.protocol !== null && IPV6_ONLY_PROTOCOLS.has(r.protocol) && r.ethertype === 'IPv4')
    throw ethertypeConflictWithProtocol(r.ethertype, r.protocol);
  if ([r.remote_ip_prefix, r.remote_group_id, r.remote_address_group_id].filter(Boolean).length > 1) throw multipleRemotes();
  return r;
}

function checkPortRange(r: RuleRequest): void {
  const { port_range_min: min, port_range_max: max } = r;
  if (min === null && max === null) return;
  if (!r.protocol) throw protocolRequiredWithPorts();
  const proto = protocolNumber(r.protocol)!;
  if (PORT_PROTOCOL_NUMBERS.has(proto)) {
    if (min === 0 || max === 0) throw invalidPortValue(0);
    if (min === null || max === null || min > max) throw invalidPortRange();
  } else if (ICMP_NUMBERS.has(proto)) {
    if (min !== null && min > 255) throw invalidIcmpValue('type', 'port_range_min', min);
    if (max !== null && max > 255) throw invalidIcmpValue('code', 'port_range_max', max);
    if (min === null && max !== null) throw missingIcmpType(max);
  } else {
    throw invalidProtocolForPort(proto);
  }
}

function checkIpPrefix(r: RuleRequest): void {
  if (!r.remote_ip_prefix) return;
  const net = parseCidr(r.remote_ip_prefix)!;
  if (r.ethertype !== `IPv${net.version}`) throw parameterConflict(r.ethertype, r.remote_ip_prefix);
}
