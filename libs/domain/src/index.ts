export * from './actor';
export * from './errors';
export * from './events';
// the log's public contract: every event type, its subject, schema version and JSON Schema
export { AGGREGATE_IDS, EVENT_TYPES, SCHEMA_VERSIONS, eventDataSchemaOf, eventDescriptionOf, eventSchemaDefs, eventSchemaOf, isEventType, schemaVersionOf, subjectAggregateOf } from './event-catalogue/catalogue';
export type { EventType } from './event-catalogue/catalogue';
export * from './model';
export * from './config';

// request plumbing
export { unwrapSingular, splitBulkBody, isBulkBody, unwrapUpdate } from './common/body';
export { NOT_SPECIFIED, isSet, parseAttributes } from './common/attributes';
export { validateString } from './common/validators';
export type { AttrMap, AttrSpec, Parsed } from './common/attributes';
export { policyDenied } from './common/policy';
export { personaRefusal, writeAction } from './common/personas';
export { httpBadRequest, httpForbidden, httpNotFound, networkNotFound, subnetNotFound, portNotFound } from './common/errors';
export { formatTimestamp } from './common/timestamps';
export { MAX_JSON_DEPTH, jsonDeeperThan, bodyTooDeep, pyJsonDumps } from './common/json-limits';
export { parseIfMatch } from './common/if-match';
export type { EventLike } from './common/evolve';
export { applyChanges, bumpRevision } from './common/evolve';

// networks
export { NETWORK_ATTRS } from './network/attributes';
export { validateNetworkCreate } from './network/validate-create';
export type { NetworkCreatePlan, NetworkCreateAttrs } from './network/validate-create';
export type { SegmentRequest } from './network/segment';
export { validateProviderSegment, noNetworkAvailable, MAX_VLAN, MAX_VNI, MAX_GRE_KEY, SUPPORTED_TYPES } from './network/segment';
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
export { NO_USAGE, addressUsageOf } from './port/address-usage';
export type { AddressUsage } from './port/address-usage';
export type { PortCreatePlan, PortCreateAttrs, PortCreateContext } from './port/validate-create';
export type { IpRequest } from './port/fixed-ips';
export { checkAddressesFree, checkSubnetIp, isAutoAddressSubnet } from './port/fixed-ips';
export type { PairRequest } from './port/checks';
export { buildPort } from './port/build';
export { BINDING_PROFILE_LEN } from './port/limits';
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
export { portGroupsOnCreate, checkPortGroups, portsUsing } from './security-group/port-groups';
export type { PortGroupsRequest, PortGroupsContext } from './security-group/port-groups';
export { securityGroupNotFound, securityGroupRuleNotFound } from './security-group/errors';

// routers (l3, ext-gw-mode, extraroute, l3-ha, l3_agent_scheduler)
export { ROUTER_ATTRS } from './router/attributes';
export { validateRouterCreate } from './router/validate-create';
export type { RouterCreateAttrs, RouterNetworks } from './router/validate-create';
export { validateRouterUpdate } from './router/validate-update';
export type { RouterUpdatePlan } from './router/validate-update';
export { planGateway, gatewayInfo, clearsGateway, defaultGatewayIps } from './router/gateway';
export type { GatewayRequest } from './router/gateway';
export { checkRoutes, routesVia, onSubnet, MAX_ROUTES } from './router/routes';
export type { RouterAddresses } from './router/routes';
export {
  parseInterfaceBody, isInterfaceOf, checkNewSubnets, checkInterfaceSubnet, checkInterfacePort, checkRemoveSubnet, interfaceInfo,
} from './router/interfaces';
export type { InterfaceRequest } from './router/interfaces';
export { buildRouter } from './router/build';
export { presentRouter } from './router/present';
export { canSeeRouter } from './router/visibility';
export { evolveRouter, evolvePlacement } from './router/evolve';
export type { RouterPlacement } from './router/evolve';
export { chooseL3Hosts, HA_AGENTS } from './router/scheduling';
export type { L3AgentLoad } from './router/scheduling';
export { HA_CIDR, HA_POOL, HA_OWNER, haNetworkName, haSubnetName, haPortName } from './router/ha';
export {
  routerNotFound, routerInUse, routerInterfaceNotFound, routerInterfaceNotFoundForSubnet, interfaceInUseByFloatingIp, gatewayInUseByFloatingIp,
  servicePortInUse, badRouterRequest, routerHostedByL3Agent, invalidL3Agent, routerReschedulingFailed,
} from './router/errors';

// floating IPs
export { FLOATINGIP_ATTRS } from './floatingip/attributes';
export { validateFloatingIpCreate, validateFloatingIpUpdate } from './floatingip/validate';
export type { FloatingIpCreateAttrs } from './floatingip/validate';
export { decideAssociation, NO_ASSOCIATION } from './floatingip/association';
export type { Association, AssociationContext } from './floatingip/association';
export { buildFloatingIp } from './floatingip/build';
export { presentFloatingIp } from './floatingip/present';
export { canSeeFloatingIp } from './floatingip/visibility';
export { evolveFloatingIp } from './floatingip/evolve';
export { floatingIpNotFound } from './floatingip/errors';

// deciders (decide(command, state) → events | NeutronError; evolve; initialState)
export type { Decider, Evolvable } from './decider';
export { networkDecider, movedSegment, portsInUse, floatingIpsDeletedWith, planNetworkUpdate, portMustJoin, subnetGoneFrom } from './network/decider';
export type { NetworkCommand, NetworkEvent, NetworkState } from './network/decider';
export { subnetDecider, subnetHoldersInUse } from './subnet/decider';
export type { SubnetCommand, SubnetEvent, SubnetState } from './subnet/decider';
export {
  portDecider, portCreateNeedsDefaultGroup, portCreateGroups, planPortCreate, planPortUpdate, allocationKey, newMacOf, L3_OWNERS,
} from './port/decider';
export type { PortCommand, PortEvent, PortState, PortAllocation } from './port/decider';
export { securityGroupDecider } from './security-group/decider';
export type { SecurityGroupCommand, SecurityGroupEvent, SecurityGroupState } from './security-group/decider';
export {
  routerDecider, planRouterUpdate, gatewayChange, gatewayKey, checkRouterOwner, planInterfaceAdd, planInterfaceRemove,
} from './router/decider';
export type { RouterCommand, RouterEvent, RouterState, RouterVpnUse, GatewayChange, InterfaceAdd, ReservedGateway } from './router/decider';
export { floatingIpDecider, planFloatingIpCreate, floatingIpAddressRequest } from './floatingip/decider';
export type { PortForwarding } from './port-forwarding/model';
export { PORT_FORWARDING_ATTRS, PF_FILTERS, PF_FILTERS_REFUSED } from './port-forwarding/attributes';
export { presentPortForwarding } from './port-forwarding/present';
export { portForwardingsOf } from './port-forwarding/decide';
export { portForwardingNotFound, filterNotSupported as portForwardingFilterNotSupported } from './port-forwarding/errors';
export { bounds as portRangeBounds, singlePort } from './port-forwarding/ranges';
export type { FloatingIpCommand, FloatingIpEvent, FloatingIpState } from './floatingip/decider';
export { bulkDecider, bulkUndone, evolveBulk, bulkIsStale } from './bulk/decider';
export type { BulkBatch, BulkCommand, BulkEvent, BulkState } from './bulk/decider';
export { deciderSpec } from './decider-spec';
export type { ExpectedError } from './decider-spec';
// host agents (agents' own events, and what agents decide to write about ports and routers)
export type { AgentRecord, AgentEventData, AgentEventType, Decided } from './agent/events';
export { decideHaPortBinding, decideHaStateReport } from './agent/events';

// load balancing (LBaaS v2)
export * from './loadbalancer/model';
export { evolveLoadBalancerTree, hasPending } from './loadbalancer/evolve';
export { decideProvisioned, decideProvisioningFailed, decideHealthReport, decideTornDown } from './loadbalancer/reports';
export { childrenOf, loadBalancerDecider, planLoadBalancerCreate, LB_PROVIDERS } from './loadbalancer/decider';
export type { LoadBalancerCommand, LoadBalancerEvent, LoadBalancerState, VipPlan } from './loadbalancer/decider';
export * from './loadbalancer/present';
export { parseLbCreate } from './loadbalancer/validate';
export { canSeeLb } from './loadbalancer/visibility';
export {
  V1_ATTRS, parseV1, v1Errors, v1Shape, madeByV1, v1MonitorId, presentV1Pool, presentV1Vip, presentV1Member, presentV1Monitor, v1MemberBody,
  lbMonitorDecider, evolveV1Monitor,
} from './loadbalancer/v1';
export type { V1Shape, LbMonitorCommand, LbMonitorEvent, LbMonitorState } from './loadbalancer/v1';
export { decideV1Tree, v1MemberSubnet } from './loadbalancer/v1-decide';
export type { V1TreeCommand, V1TreeState, V1VipAddress } from './loadbalancer/v1-decide';
export { lbNotFound, LB_KIND_NAMES, notImplemented as lbNotImplemented } from './loadbalancer/errors';
export type { LbKind } from './loadbalancer/errors';

// tags (standard-attr-tag)
export { tagsDecider, tagsOf, checkTag, validateTag, validateTagsBody, tagResourceNotFound, tagNotFound, MAX_TAG_LEN, TAGGED_COLLECTIONS } from './tags/decider';
export type { TagCommand, TagState, TaggedKind } from './tags/decider';
export { TAG_FILTERS, isTagFilter, matchesTagFilter, tagFilterValues } from './tags/filters';
export type { TagFilter } from './tags/filters';
export { networkIpAvailability } from './network/ip-availability';
export type { NetworkIpAvailability, SubnetIpAvailability } from './network/ip-availability';
export { uuid5 } from './common/name-uuid';
export {
  RBAC_ACTIONS, WILDCARD, wildcardPolicyId, networkPolicies, sharedWith, sharedFor, isExternal, rbacGrants, canSeePolicy, rbacErrors, rbacInUse, decideRbac,
} from './rbac/network-rbac';
export type { RbacPolicy, RbacCommand, RbacEvent } from './rbac/network-rbac';
export * from './rbac/object-rbac';

// quotas (quotas, quota_details)
export { quotaDecider, evolveQuota, fulfilClaim, limitsOf, reservedOf, quotaDetails, orderedLimits } from './quota/decider';
export type { QuotaClaim, QuotaCommand, QuotaEvent, QuotaState, ProjectQuota } from './quota/decider';
export { QUOTA_RESOURCES, NEUTRON_QUOTA_DEFAULTS, isQuotaResource, validateQuotaBody, overQuota } from './quota/limits';
export type { QuotaLimits, QuotaResource } from './quota/limits';

// trunks (trunk, trunk-details): every trunk on evt.trunk.trunks
export * from './trunk';

// VPNaaS (vpnaas, vpn-endpoint-groups): one project's VPN objects on evt.vpn.<project_id>
export * from './vpn';

// address groups (address-group, rbac-address-group)
export * from './address-group/model';
export * from './address-group/decider';
export * from './address-group/evolve';
export * from './address-group/present';
export * from './address-group/visibility';
export { addressGroupInUse, normaliseAddress } from './address-group/addresses';
export { ADDRESS_GROUP_ATTRS } from './address-group/attributes';
// address scopes (address-scope) and subnet pools (subnet_allocation, subnetpool-prefix-ops, default-subnetpools)
export * from './address-scope/model';
export * from './address-scope/decider';
export * from './address-scope/evolve';
export * from './address-scope/present';
export * from './address-scope/visibility';
export * from './subnetpool';
// QoS (qos, qos-bw-limit-direction, qos-default, qos-rule-type-details)
export * from './qos';
export * from './firewall/model';
export { fwErrors, fwV1Errors } from './firewall/errors';
export { evolveFirewall, groupsUsing, policiesWith } from './firewall/evolve';
export { firewallDecider, canSeeFirewallObject } from './firewall/decider';
export type { FirewallCommand, FirewallEvent, RuleInfo, DefaultIds } from './firewall/decider';
export { parseFirewall, checkRule } from './firewall/validate';
export type { FwKind } from './firewall/validate';
export * from './firewall/present';
