/** The security-group exceptions of Zed's API (neutron/extensions/securitygroup.py), message for message. */
import { neutronError } from '../common/errors';
import { pyRepr, pyStr } from '../common/python';
import { SUPPORTED_PROTOCOLS } from './protocols';

export const securityGroupNotFound = (id: string) => neutronError(404, 'SecurityGroupNotFound', `Security group ${id} does not exist`);
export const securityGroupRuleNotFound = (id: string) =>
  neutronError(404, 'SecurityGroupRuleNotFound', `Security group rule ${id} does not exist`);
export const securityGroupInUse = (id: string) => neutronError(409, 'SecurityGroupInUse', `Security Group ${id} in use.`);
export const cannotRemoveDefault = () =>
  neutronError(409, 'SecurityGroupCannotRemoveDefault', 'Insufficient rights for removing default security group.');
export const cannotUpdateDefault = () =>
  neutronError(409, 'SecurityGroupCannotUpdateDefault', 'Updating default security group not allowed.');
export const defaultAlreadyExists = () =>
  neutronError(409, 'SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
export const ruleExists = (ruleId: string) =>
  neutronError(409, 'SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${ruleId}.`);
export const duplicateRuleInPost = () => neutronError(409, 'DuplicateSecurityGroupRuleInPost', 'Duplicate Security Group Rule in POST.');
export const notSingleGroupRules = () =>
  neutronError(400, 'SecurityGroupNotSingleGroupRules', 'Only allowed to update rules for one security profile at a time');
export const rulesNotSingleTenant = () =>
  neutronError(400, 'SecurityGroupRulesNotSingleTenant', 'Multiple tenant_ids in bulk security group rule create not allowed');
export const invalidProtocol = (protocol: unknown) =>
  neutronError(
    400,
    'SecurityGroupRuleInvalidProtocol',
    `Security group rule protocol ${pyStr(protocol)} not supported. Only protocol values ` +
      `[${SUPPORTED_PROTOCOLS.map((p) => (p === null ? 'None' : pyRepr(p))).join(', ')}] and integer representations [0 to 255] are supported.`,
  );
export const invalidEthertype = (value: unknown) =>
  neutronError(
    400,
    'SecurityGroupRuleInvalidEtherType',
    `Security group rule for ethertype '${pyStr(value)}' not supported. Allowed values are ['IPv4', 'IPv6'].`,
  );
export const invalidPortValue = (port: unknown) => neutronError(400, 'SecurityGroupInvalidPortValue', `Invalid value for port ${pyStr(port)}`);
export const invalidPortRange = () =>
  neutronError(400, 'SecurityGroupInvalidPortRange', 'For TCP/UDP protocols, port_range_min must be <= port_range_max');
export const protocolRequiredWithPorts = () =>
  neutronError(400, 'SecurityGroupProtocolRequiredWithPorts', 'Must also specify protocol if port range is given.');
export const invalidProtocolForPort = (protocol: number | string) =>
  neutronError(
    400,
    'SecurityGroupInvalidProtocolForPort',
    `Ports cannot be specified for protocol ${protocol}. Ports are only supported for DCCP, SCTP, TCP, UDP, UDPLITE.`,
  );
export const invalidIcmpValue = (field: 'type' | 'code', attr: string, value: number) =>
  neutronError(400, 'SecurityGroupInvalidIcmpValue', `Invalid value for ICMP ${field} (${attr}) ${value}. It must be 0 to 255.`);
export const missingIcmpType = (value: number) =>
  neutronError(
    400,
    'SecurityGroupMissingIcmpType',
    `ICMP code (port-range-max) ${value} is provided but ICMP type (port-range-min) is missing.`,
  );
export const ethertypeConflictWithProtocol = (ethertype: string, protocol: string) =>
  neutronError(400, 'SecurityGroupEthertypeConflictWithProtocol', `Invalid ethertype ${ethertype} for protocol ${protocol}.`);
export const parameterConflict = (ethertype: string, cidr: string) =>
  neutronError(400, 'SecurityGroupRuleParameterConflict', `Conflicting value ethertype ${ethertype} for CIDR ${cidr}`);
export const multipleRemotes = () =>
  neutronError(
    400,
    'SecurityGroupMultipleRemoteEntites',
    'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.',
  );
export const invalidCidr = (input: unknown) => neutronError(400, 'InvalidCIDR', `Invalid CIDR ${pyStr(input)} given as IP prefix.`);
