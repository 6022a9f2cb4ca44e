/**
 * The list filters of standard-attr-tag, as Zed applies them: every value of
 * a filter (repeated keys and comma-separated lists alike; an empty item is the
 * tag '') goes into one set, and
 * - `tags`: the resource has all of them;
 * - `tags-any`: it has at least one;
 * - `not-tags`: it lacks at least one (not all of them);
 * - `not-tags-any`: it has none of them.
 * Several of these filters together must all hold.
 */
export const TAG_FILTERS = ['tags', 'tags-any', 'not-tags', 'not-tags-any'] as const;
export type TagFilter = (typeof TAG_FILTERS)[number];

export const isTagFilter = (key: string): key is TagFilter => (TAG_FILTERS as readonly string[]).includes(key);

/** The tags a filter names, from the query's values of it. */
export const tagFilterValues = (values: string[]): string[] => values.flatMap((v) => v.split(','));

export function matchesTagFilter(filter: TagFilter, tags: readonly string[], values: string[]): boolean {
  const wanted = tagFilterValues(values);
  const has = (t: string) => tags.includes(t);
  switch (filter) {
    case 'tags':
      return wanted.every(has);
    case 'tags-any':
      return wanted.some(has);
    case 'not-tags':
      return !wanted.every(has);
    case 'not-tags-any':
      return !wanted.some(has);
  }
}
