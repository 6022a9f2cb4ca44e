import { NeutronError } from '../errors';

/** neutron-lib's exceptions/firewall_v2.py, message for message. */
export const fwErrors = {
  groupNotFound: (id: string) => new NeutronError(404, 'FirewallGroupNotFound', `Firewall group ${id} could not be found.`),
  policyNotFound: (id: string) => new NeutronError(404, 'FirewallPolicyNotFound', `Firewall policy ${id} could not be found.`),
  ruleNotFound: (id: string) => new NeutronError(404, 'FirewallRuleNotFound', `Firewall rule ${id} could not be found.`),
  policyInUse: (id: string) => new NeutronError(409, 'FirewallPolicyInUse', `Firewall policy ${id} is being used.`),
  ruleInUse: (id: string) => new NeutronError(409, 'FirewallRuleInUse', `Firewall rule ${id} is being used.`),
  ruleNotAssociated: (rule: string, policy: string) =>
    new NeutronError(400, 'FirewallRuleNotAssociatedWithPolicy', `Firewall rule ${rule} is not associated with firewall policy ${policy}.`),
  ruleAlreadyAssociated: (rule: string, policy: string) =>
    new NeutronError(409, 'FirewallRuleAlreadyAssociated', `Operation cannot be performed since firewall rule ${rule} is already associated with firewall policy ${policy}.`),
  ruleInfoMissing: () => new NeutronError(400, 'FirewallRuleInfoMissing', 'Missing rule info argument for insert/remove rule operation.'),
  icmpPorts: () => new NeutronError(400, 'FirewallRuleInvalidICMPParameter', 'Source, destination port are not allowed when protocol is set to ICMP.'),
  portWithoutProtocol: () => new NeutronError(400, 'FirewallRuleWithPortWithoutProtocolInvalid', 'Source/destination port requires a protocol.'),
  invalidPort: (port: string) => new NeutronError(400, 'FirewallRuleInvalidPortValue', `Invalid value for port ${port}.`),
  ipConflict: () => new NeutronError(400, 'FirewallIpAddressConflict', 'Invalid input - IP addresses do not agree with IP Version.'),
  ruleSharingConflict: (rule: string, policy: string) =>
    new NeutronError(404, 'FirewallRuleSharingConflict',
      `Operation cannot be performed since firewall policy ${policy} could not find the firewall rule ${rule}. Please confirm if the firewall rule exists and is shared.`),
  policySharingConflict: (rule: string, policy: string) =>
    new NeutronError(409, 'FirewallPolicySharingConflict', `Operation cannot be performed. Before sharing firewall policy ${policy}, share associated firewall rule ${rule}.`),
  ruleConflict: (rule: string, project: string) =>
    new NeutronError(409, 'FirewallRuleConflict', `Operation cannot be performed since firewall rule ${rule} is not shared and belongs to another project ${project}.`),
  policyConflict: (policy: string) =>
    new NeutronError(404, 'FirewallPolicyConflict',
      `Operation cannot be performed since firewall policy ${policy} for your project could not be found. Please confirm if the firewall policy exists and is shared.`),
  portInvalid: (port: string) => new NeutronError(409, 'FirewallGroupPortInvalid', `Port ${port} of firewall group is invalid.`),
  portInvalidProject: (port: string, project: string) =>
    new NeutronError(409, 'FirewallGroupPortInvalidProject', `Operation cannot be performed as port ${port} is in an invalid project ${project}.`),
  portInUse: (ports: string[]) => new NeutronError(409, 'FirewallGroupPortInUse', `Port(s) ${ports.join(', ')} provided already associated with other firewall group(s).`),
  cannotRemoveDefault: () => new NeutronError(409, 'FirewallGroupCannotRemoveDefault', 'Deleting default firewall group not allowed.'),
  defaultNameReserved: () =>
    new NeutronError(409, 'FirewallDefaultParameterExists', "Operation cannot be performed since 'default' is a reserved name for firewall group."),
  defaultRestricted: (id: string) =>
    new NeutronError(409, 'FirewallDefaultObjectUpdateRestricted', `Operation cannot be performed on default object '${id}' of type firewall group.`),
};
