/** Provider attributes → the segment to reserve or allocate (ML2 type drivers' validate_provider_segment). */
import { isSet, Parsed } from '../common/attributes';
import type { DomainConfig } from '../config';
import { NeutronError, invalidInput } from '../errors';
import type { NetworkType } from '../model';
import { pyStr } from '../common/python';

export interface SegmentRequest {
  network_type: NetworkType;
  physical_network: string | null;
  segmentation_id: number | null;
  /** The admin gave provider:* attributes; otherwise the segment is allocated from the tenant ranges. */
  explicit: boolean;
}

/** Every type the domain knows; DomainConfig.typeDrivers enables some (ML2 type_drivers). */
export const SUPPORTED_TYPES: NetworkType[] = ['flat', 'vlan', 'vxlan', 'gre', 'local'];
export const MAX_VLAN = 4094;
export const MAX_VNI = 2 ** 24 - 1;
/** GRE keys are 32 bits (ML2's MAX_GRE_ID). */
export const MAX_GRE_KEY = 2 ** 32 - 1;

/** A segment as given (provider:*) — InvalidInput with the type driver's words when it is not valid. */
export function validateProviderSegment(
  seg: { network_type: string; physical_network: unknown; segmentation_id: number | null | undefined },
  cfg: DomainConfig,
): void {
  const { network_type: type, physical_network: physnet, segmentation_id: segId } = seg;
  if (!SUPPORTED_TYPES.includes(type as NetworkType) || !cfg.typeDrivers.includes(type as NetworkType)) throw invalidInput(`network_type value '${pyStr(type)}' not supported`);
  if (type === 'flat') {
    if (!physnet) throw invalidInput('physical_network required for flat provider network');
    if (cfg.flatNetworks.length === 0) throw invalidInput('Flat provider networks are disabled');
    if (!cfg.flatNetworks.includes('*') && !cfg.flatNetworks.includes(physnet as string))
      throw invalidInput(`physical_network '${pyStr(physnet)}' unknown for flat provider network`);
    if (segId) throw invalidInput('segmentation_id prohibited for flat provider network');
  } else if (type === 'vlan') {
    if (physnet) {
      if (!Object.prototype.hasOwnProperty.call(cfg.vlanRanges, String(physnet)))
        throw invalidInput(`physical_network '${pyStr(physnet)}' unknown for VLAN provider network`);
      if (isSet(segId) && ((segId as number) < 1 || (segId as number) > MAX_VLAN))
        throw invalidInput(`segmentation_id out of range (1 through ${MAX_VLAN})`);
    } else if (isSet(segId)) {
      throw invalidInput('segmentation_id requires physical_network for VLAN provider network');
    }
  } else if (type === 'vxlan') {
    if (physnet) throw invalidInput(`provider:physical_network specified for ${type} network`);
    // Deliberate difference: Zed accepts VNI 0 and fails with a 500 above 2^24-1; a VNI is 1..2^24-1.
    if (isSet(segId) && ((segId as number) < 1 || (segId as number) > MAX_VNI))
      throw invalidInput(`segmentation_id out of range (1 through ${MAX_VNI})`);
  } else if (type === 'gre') {
    if (physnet) throw invalidInput(`provider:physical_network specified for ${type} network`);
    // as for VXLAN: a GRE key is 1..2^32-1
    if (isSet(segId) && ((segId as number) < 1 || (segId as number) > MAX_GRE_KEY))
      throw invalidInput(`segmentation_id out of range (1 through ${MAX_GRE_KEY})`);
  } else {
    if (physnet) throw invalidInput('physical_network prohibited for local provider network');
    if (segId) throw invalidInput('segmentation_id prohibited for local provider network');
  }
}

/** The segment a create asks for: the provider attributes, or the first tenant network type. */
export function segmentRequest(item: Parsed, cfg: DomainConfig): SegmentRequest {
  const type = item['provider:network_type'];
  const physnet = item['provider:physical_network'];
  const segId = item['provider:segmentation_id'] as number | null | undefined;
  if ([type, physnet, segId].some(isSet)) {
    if (!isSet(type)) throw invalidInput('network_type required');
    validateProviderSegment({ network_type: type as string, physical_network: physnet, segmentation_id: segId }, cfg);
    return {
      network_type: type as NetworkType,
      physical_network: physnet ? (physnet as string) : null,
      segmentation_id: isSet(segId) ? (segId as number) : null,
      explicit: true,
    };
  }
  const tenantType = cfg.tenantNetworkTypes[0];
  if (!tenantType) throw noNetworkAvailable();
  return { network_type: tenantType, physical_network: null, segmentation_id: null, explicit: false };
}

export const noNetworkAvailable = () =>
  new NeutronError(503, 'NoNetworkAvailable', 'Unable to create the network. No tenant network is available for allocation.');
