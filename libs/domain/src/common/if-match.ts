/**
 * `If-Match: revision_number=N` as Neutron reads it (api_common.
 * check_request_for_revision_constraint over webob's ETagMatcher): quoted
 * etags if any (weak ones skipped), else the whole header as one etag; `*`
 * constrains nothing; a revision_number etag must hold an int.
 */
import { NeutronError } from '../errors';

const badIfMatch = (msg: string) => new NeutronError(400, 'BadRequest', `Bad if-match request: ${msg}.`);
const ETAG = /(?:^|\s)(W\/)?"((?:\\"|.)*?)"/g;
const PY_INT = /^\s*[+-]?\d+(_\d+)*\s*$/;

function etags(header: string): string[] {
  if (header === '*' || header === '') return [];
  const matches = [...header.matchAll(ETAG)];
  if (!matches.length) return [header];
  return matches.filter((m) => !m[1]).map((m) => m[2]);
}

/** The revision number the request is constrained to, undefined when none; Neutron's 400 when malformed. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  let revision: number | undefined;
  for (const e of etags(([] as string[]).concat(header).join(', '))) {
    if (!e.startsWith('revision_number=')) continue;
    if (revision !== undefined) throw badIfMatch('Multiple revision_number etags are not supported.');
    const value = e.split('revision_number=')[1];
    if (!PY_INT.test(value)) throw badIfMatch('Revision number etag must be in the format of revision_number=<int>');
    revision = Number(value.replace(/_/g, '').trim());
  }
  return revision;
}
