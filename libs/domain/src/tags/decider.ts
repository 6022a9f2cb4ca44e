import { isDict, validateListOfUniqueStrings, validateString } from '../common/validators';
import type { Decider } from '../decider';
import { invalidInput, notFound } from '../errors';
import type { CoreEvent } from '../events';

/**
 * Tags on the standard resources (Zed's standard-attr-tag): networks, subnets,
 * ports, routers, floating IPs and security groups (not their rules: Zed's
 * SecurityGroupRule model has no tag support). A tag is any string of at most
 * 255 characters (commas, blanks and '' included); a resource's tags are a set,
 * kept and shown sorted.
 */
export const MAX_TAG_LEN = 255;

export type TaggedKind = 'network' | 'subnet' | 'port' | 'router' | 'floatingip' | 'security_group';

/** The collection Zed names in TagResourceNotFound (`security_groups`, with its underscore). */
export const TAGGED_COLLECTIONS: Record<TaggedKind, string> = {
  network: 'networks', subnet: 'subnets', port: 'ports', router: 'routers', floatingip: 'floatingips', security_group: 'security_groups',
};

/** A tag change is the kind's own update event carrying the whole new set: it counts as a revision (as in Zed). */
type TagEvent = CoreEvent<'network.updated' | 'subnet.updated' | 'port.updated' | 'router.updated' | 'floatingip.updated' | 'security_group.updated'>;

export type TagCommand =
  /** PUT …/tags with {"tags": […]}: the set becomes exactly these. */
  | { type: 'ReplaceTags'; body: unknown }
  /** PUT …/tags/<tag>: adds one (already there: nothing happens). */
  | { type: 'AddTag'; tag: unknown }
  /** DELETE …/tags/<tag>: TagNotFound when absent. */
  | { type: 'RemoveTag'; tag: unknown }
  /** DELETE …/tags. */
  | { type: 'RemoveAllTags' };

/** `tags` undefined: no such resource, or one the caller may not see. */
export interface TagState {
  kind: TaggedKind;
  id: string;
  tags: string[] | undefined;
}

export const tagResourceNotFound = (kind: TaggedKind, id: string) =>
  notFound('TagResourceNotFound', `Resource ${TAGGED_COLLECTIONS[kind]} ${id} could not be found.`);
export const tagNotFound = (tag: string) => notFound('TagNotFound', `Tag ${tag} could not be found.`);

/** validate_tag: checked before the resource is looked up. */
export function validateTag(tag: unknown): string {
  const msg = validateString(tag, MAX_TAG_LEN);
  if (msg) throw invalidInput(msg);
  return tag as string;
}

/** validate_tags: a dict with a `tags` list of unique strings (other keys are ignored). */
export function validateTagsBody(body: unknown): string[] {
  if (!isDict(body) || !('tags' in body)) throw invalidInput('Invalid tags body');
  const msg = validateListOfUniqueStrings(body.tags, MAX_TAG_LEN);
  if (msg) throw invalidInput(msg);
  return body.tags as string[];
}

/** A resource's tags as shown (sorted), or TagResourceNotFound. */
export function tagsOf(state: TagState): string[] {
  if (!state.tags) throw tagResourceNotFound(state.kind, state.id);
  return [...state.tags].sort();
}

/** GET …/tags/<tag>: passes when the resource has it, else TagNotFound. */
export function checkTag(state: TagState, tag: unknown): void {
  const t = validateTag(tag);
  if (!tagsOf(state).includes(t)) throw tagNotFound(t);
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

function decide(command: TagCommand, state: TagState): TagEvent[] {
  let next: string[];
  switch (command.type) {
    case 'ReplaceTags':
      next = validateTagsBody(command.body);
      break;
    case 'AddTag': {
      const tag = validateTag(command.tag);
      next = [...tagsOf(state), tag];
      if (tagsOf(state).includes(tag)) return [];
      break;
    }
    case 'RemoveTag': {
      const tag = validateTag(command.tag);
      if (!tagsOf(state).includes(tag)) throw tagNotFound(tag);
      next = tagsOf(state).filter((t) => t !== tag);
      break;
    }
    case 'RemoveAllTags':
      next = [];
      break;
  }
  const current = tagsOf(state);
  // An unchanged set is no change: Zed bumps no revision for it.
  if (sameSet(current, next)) return [];
  return [{ type: `${state.kind}.updated`, data: { changes: { tags: [...next].sort() } } } as TagEvent];
}

export const tagsDecider: Decider<TagCommand, TagState, TagEvent> = {
  decide,
  evolve: (state, event) => ({ ...state, tags: [...(event.data.changes as { tags?: string[] }).tags ?? state.tags ?? []] }),
  initialState: () => ({ kind: 'network', id: '', tags: undefined }),
};
