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

/** Python's repr of a list of ids, as neutron-fwaas's messages print it. */
const pyList = (ids: string[]) => `[${ids.map((i) => `'${i}'`).join(', ')}]`;

/**
 * FWaaS v1 (neutron-fwaas's extensions/firewall.py and firewallrouterinsertion.py): the same
 * checks with the v1 wording ("Firewall Rule", "tenant", fewer full stops) and v1's own errors.
 */
export const fwV1Errors: typeof fwErrors & {
  firewallNotFound: (id: string) => NeutronError;
  pendingState: (id: string, state: string) => NeutronError;
  routerInUse: (routers: string[]) => NeutronError;
  overQuota: () => NeutronError;
} = {
  ...fwErrors,
  policyNotFound: (id) => new NeutronError(404, 'FirewallPolicyNotFound', `Firewall Policy ${id} could not be found.`),
  ruleNotFound: (id) => new NeutronError(404, 'FirewallRuleNotFound', `Firewall Rule ${id} could not be found.`),
  policyInUse: (id) => new NeutronError(409, 'FirewallPolicyInUse', `Firewall Policy ${id} is being used.`),
  ruleInUse: (id) => new NeutronError(409, 'FirewallRuleInUse', `Firewall Rule ${id} is being used.`),
  // v1 has no "already associated": a rule in any policy is in use
  ruleAlreadyAssociated: (rule) => new NeutronError(409, 'FirewallRuleInUse', `Firewall Rule ${rule} is being used.`),
  ruleNotAssociated: (rule, policy) =>
    new NeutronError(400, 'FirewallRuleNotAssociatedWithPolicy', `Firewall Rule ${rule} is not associated  with Firewall Policy ${policy}.`),
  portWithoutProtocol: () => new NeutronError(400, 'FirewallRuleWithPortWithoutProtocolInvalid', 'Source/destination port requires a protocol'),
  ipConflict: () => new NeutronError(400, 'FirewallIpAddressConflict', 'Invalid input - IP addresses do not agree with IP Version'),
  ruleSharingConflict: (rule, policy) =>
    new NeutronError(409, 'FirewallRuleSharingConflict', `Operation cannot be performed since Firewall Policy ${policy} is shared but Firewall Rule ${rule} is not shared`),
  policySharingConflict: (rule, policy) =>
    new NeutronError(409, 'FirewallPolicySharingConflict', `Operation cannot be performed. Before sharing Firewall Policy ${policy}, share associated Firewall Rule ${rule}`),
  ruleConflict: (rule, project) =>
    new NeutronError(409, 'FirewallRuleConflict', `Operation cannot be performed since Firewall Rule ${rule} is not shared and belongs to another tenant ${project}`),
  policyConflict: (policy) =>
    new NeutronError(409, 'FirewallPolicyConflict', `Operation cannot be performed since Firewall Policy ${policy} is not shared and does not belong to your tenant.`),
  firewallNotFound: (id) => new NeutronError(404, 'FirewallNotFound', `Firewall ${id} could not be found.`),
  pendingState: (id, state) => new NeutronError(409, 'FirewallInPendingState', `Operation cannot be performed since associated Firewall ${id} is in ${state}.`),
  routerInUse: (routers) => new NeutronError(409, 'FirewallRouterInUse', `Router(s) ${pyList(routers)} provided already associated with other Firewall(s). `),
  overQuota: () => new NeutronError(409, 'OverQuota', "Quota exceeded for resources: ['firewall']."),
};
