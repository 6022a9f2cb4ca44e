/** Zed's duplicate-rule semantics (_rule_to_key / _check_for_duplicate_rules). */
import type { SecurityGroupRule } from '../model';
import { duplicateRuleInPost, ruleExists } from './errors';
import { protocolKey } from './protocols';
import type { RuleRequest } from './rule-checks';

type Keyed = Pick<
  SecurityGroupRule,
  'direction' | 'ethertype' | 'port_range_min' | 'port_range_max' | 'protocol' | 'remote_group_id' | 'remote_address_group_id' | 'remote_ip_prefix' | 'security_group_id'
>;

const ANY = '+';
const ALL_ADDRESSES = new Set(['0.0.0.0/0', '::/0']);

/** Two rules with equal keys are the same rule: protocol by name or number, "everywhere" prefixes as none. */
export function ruleKey(r: Keyed): string {
  const v = (x: unknown) => (x === null || x === undefined ? ANY : String(x));
  return [
    r.direction,
    r.ethertype,
    v(r.port_range_max),
    v(r.port_range_min),
    protocolKey(r.protocol, r.ethertype),
    v(r.remote_group_id),
    v(r.remote_address_group_id),
    r.remote_ip_prefix === null || ALL_ADDRESSES.has(r.remote_ip_prefix) ? ANY : r.remote_ip_prefix,
    r.security_group_id,
  ].join('_');
}

/** Duplicates inside the request (409 DuplicateSecurityGroupRuleInPost), then against the group's rules (409 SecurityGroupRuleExists). */
export function checkDuplicateRules(existing: SecurityGroupRule[], requested: RuleRequest[]): void {
  const keys = new Set<string>();
  for (const r of requested) {
    const k = ruleKey(r);
    if (keys.has(k)) throw duplicateRuleInPost();
    keys.add(k);
  }
  for (const e of existing) if (keys.has(ruleKey(e))) throw ruleExists(e.id);
}
