import { NeutronError, parseIfMatch } from '@neutrino/domain';

/** Honours `If-Match: revision_number=N` (Neutron's revision-if-match extension). */
export function checkIfMatch(header: string | string[] | undefined, current: { revision_number: number }): void {
  const wanted = parseIfMatch(header);
  if (wanted !== undefined && wanted !== current.revision_number) {
    throw new NeutronError(412, 'RevisionNumberConstraintFailed', `Constrained to ${wanted}, but current revision is ${current.revision_number}`);
  }
}
