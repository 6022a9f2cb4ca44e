import { NeutronError } from '@neutrino/domain';

/** Honours `If-Match: revision_number=N` (Neutron's revision-if-match extension). */
export function checkIfMatch(header: string | string[] | undefined, current: { revision_number: number }): void {
  if (header === undefined) return;
  for (const part of ([] as string[]).concat(header).join(',').split(',')) {
    const m = /^\s*revision_number=(\d+)\s*$/.exec(part);
    if (!m) continue;
    const wanted = Number(m[1]);
    if (wanted !== current.revision_number) {
      throw new NeutronError(412, 'RevisionNumberConstraintFailed', `Constrained to ${wanted}, but current revision is ${current.revision_number}`);
    }
  }
}
