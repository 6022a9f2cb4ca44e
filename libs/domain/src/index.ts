export * from './actor';
export * from './errors';
export * from './events';
export * from './model';
export * from './config';

// request plumbing
export { unwrapSingular, splitBulkBody, isBulkBody, unwrapUpdate } from './common/body';
export { NOT_SPECIFIED, isSet } from './common/attributes';
export type { AttrMap, AttrSpec, Parsed } from './common/attributes';
export { policyDenied } from './common/policy';
export { httpBadRequest, httpForbidden, httpNotFound, networkNotFound, subnetNotFound, portNotFound } from './common/errors';
export { formatTimestamp } from './common/timestamps';
export type { EventLike } from './common/evolve';
export { applyChanges, bumpRevision } from './common/evolve';

// address math
export { parseIp, formatIp, canonicalIp, sameIp } from './net/ip';
export type { Ip } from './net/ip';
export { parseCidr, formatCidr, firstOf, lastOf, sizeOf, inCidr, cidrOverlaps } from './net/cidr';
export type { Cidr } from './net/cidr';
export { parseMac, formatMac, sanitizeMac, eui64Address } from './net/mac';
export type { IpRange } from './net/range';

// networks
export { NETWORK_ATTRS } from './network/attributes';
export { validateNetworkCreate } from './network/validate-create';
export type { NetworkCreatePlan, NetworkCreateAttrs } from './network/validate-create';
export type { SegmentRequest } from './network/segment';
export { validateProviderSegment, noNetworkAvailable, MAX_VLAN, MAX_VNI } from './network/segment';
export { maxMtu } from './network/mtu';
export { buildNetwork } from './network/build';
export { validateNetworkUpdate } from './network/validate-update';
export { presentNetwork } from './network/present';
export { canSeeNetwork } from './network/visibility';
export { evolveNetwork, evolveNetworkSubnets } from './network/evolve';

// subnets
export { SUBNET_ATTRS } from './subnet/attributes';
export { validateSubnetCreate } from './subnet/validate-create';
export type { SubnetCreateContext } from './subnet/validate-create';
export { validateSubnetUpdate } from './subnet/validate-update';
export type { SubnetUpdateContext } from './subnet/validate-update';
export { defaultPools, poolBounds } from './subnet/pools';
export { isAutoAddress } from './subnet/checks';
export { presentSubnet } from './subnet/present';
export { canSeeSubnet } from './subnet/visibility';
export { evolveSubnet } from './subnet/evolve';

// ports
export { portAttrs } from './port/attributes';
export { validatePortCreate } from './port/validate-create';
export type { PortCreatePlan, PortCreateAttrs, PortCreateContext } from './port/validate-create';
export type { IpRequest } from './port/fixed-ips';
export { checkSubnetIp, isAutoAddressSubnet } from './port/fixed-ips';
export type { PairRequest } from './port/checks';
export { buildPort } from './port/build';
export { validatePortUpdate } from './port/validate-update';
export type { PortUpdatePlan, PortUpdateContext } from './port/validate-update';
export type { FixedIpsChange } from './port/changed-ips';
export { isEui64Address } from './port/changed-ips';
export { presentPort } from './port/present';
export { canSeePort } from './port/visibility';
export { evolvePort } from './port/evolve';

// security groups and rules
export { SECURITY_GROUP_ATTRS, SECURITY_GROUP_RULE_ATTRS } from './security-group/attributes';
export { validateSecurityGroupCreate, validateSecurityGroupUpdate, checkSecurityGroupDelete } from './security-group/validate-group';
export type { SecurityGroupCreateAttrs } from './security-group/validate-group';
export { validateSecurityGroupRuleCreate, validateSecurityGroupRuleUpdate } from './security-group/validate-rule';
export type { RuleCreateContext, RuleCreatePlan } from './security-group/validate-rule';
export type { RuleRequest } from './security-group/rule-checks';
export { ruleKey } from './security-group/rule-key';
export { buildSecurityGroup, buildDefaultSecurityGroup, buildSecurityGroupRule, DEFAULT_SG_DESCRIPTION } from './security-group/build';
export { presentSecurityGroup, presentSecurityGroupRule, normalizedCidr } from './security-group/present';
export { canSeeSecurityGroup, canSeeSecurityGroupRule, isDefaultGroup } from './security-group/visibility';
export { evolveSecurityGroup } from './security-group/evolve';
export { portGroupsOnCreate, checkPortGroups, isTrustedOwner, portsUsing } from './security-group/port-groups';
export type { PortGroupsRequest, PortGroupsContext } from './security-group/port-groups';
export { securityGroupNotFound, securityGroupRuleNotFound } from './security-group/errors';
