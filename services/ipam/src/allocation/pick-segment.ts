/** The lowest id of the ranges that is not taken, or null when every range is used up. */
export function pickLowestSegment(ranges: Array<[number, number]>, taken: ReadonlySet<string>): number | null {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  for (const [min, max] of sorted) {
    for (let id = min; id <= max; id++) if (!taken.has(String(id))) return id;
  }
  return null;
}

/** The ledger subject token of a segment range: seg-vxlan, seg-vlan-physnet1, seg-flat-physnet1. */
export function segmentLedgerKey(networkType: string, physnet: string | null): string {
  return physnet ? `seg-${networkType}-${physnet}` : `seg-${networkType}`;
}
