/** The headers of the metadata path (spec/metadata.md §5), lower-cased as node hands them out. */
export const H = {
  forwardedFor: 'x-forwarded-for',
  routerId: 'x-neutron-router-id',
  networkId: 'x-neutron-network-id',
  instanceId: 'x-instance-id',
  tenantId: 'x-tenant-id',
  signature: 'x-instance-id-signature',
} as const;

/**
 * Headers only the metadata path itself may set: whatever an instance sends
 * under these names is dropped before ours are added, so no instance can
 * claim another's address, network, router or identity.
 */
export const TRUSTED_HEADERS: readonly string[] = Object.values(H);
