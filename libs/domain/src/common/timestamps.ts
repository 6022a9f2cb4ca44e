/** Neutron prints timestamps to the second with a Z: 2026-11-23T04:11:05Z. */
export function formatTimestamp(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]00:?00)?$/.exec(iso);
  return m ? `${m[1]}T${m[2]}Z` : iso;
}
