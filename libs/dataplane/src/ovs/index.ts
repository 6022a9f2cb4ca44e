export { OvsDaemons, DEFAULT_OVS_SCHEMA, type OvsDaemonsOptions } from './daemons';
export { OvsDriver, type OvsDriverOptions, type FlowApplyResult, type ReconcileResult as OvsReconcileResult } from './driver';
export { DEFAULT_PRIORITY, flow, flowKey, normalizeActions, normalizeMatch, parseDumpFlows, parseFlow, renderFlow, renderStrictDelete, type OfFlow } from './flows';
export { diffFlows, flowDiffEmpty, type FlowDiff, type FlowDiffOptions } from './flow-diff';
export {
  OWNER_KEY, parseTopology, parseVsctlList, planTopology,
  type DesiredBridge, type DesiredPort, type OvsBridge, type OvsInterface, type OvsPort, type OvsTopology, type TopologyPlan,
} from './topology';
export {
  BR_TUN, integrationBridgeFlows, providerBridgeFlows, tunnelBridgeFlows,
  type ArpEntry, type LocalVlanNetwork, type OvsNetworkType, type TunnelBridgeInput, type TunnelNetwork, type TunnelPort, type UnicastEntry,
} from './tables';
