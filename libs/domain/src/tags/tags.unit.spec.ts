import { NeutronError } from '../errors';
import { checkTag, tagsDecider, tagsOf, type TagCommand, type TagState } from './decider';
import { matchesTagFilter } from './filters';

const refusal = (f: () => unknown) => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof NeutronError ? { status: e.status, type: e.type, message: e.message } : e;
  }
};

const ID = '3f1c3b5e-0000-4000-8000-000000000001';
const net = (tags: string[] | undefined): TagState => ({ kind: 'network', id: ID, tags });
const decide = (c: TagCommand, s: TagState) => tagsDecider.decide(c, s);
const long = 'x'.repeat(256);

// Answers recorded from Zed (neutron-server 21.0.0) for /v2.0/networks/<id>/tags.
describe('tags decider', () => {
  it('replaces the set: one network.updated with the new set sorted', () => {
    expect(decide({ type: 'ReplaceTags', body: { tags: ['zz', 'aa', 'mm'] } }, net(['b']))).toEqual([
      { type: 'network.updated', data: { changes: { tags: ['aa', 'mm', 'zz'] } } },
    ]);
  });

  it('the same set in another order, a tag already there, clearing no tags: nothing (Zed bumps no revision)', () => {
    expect(decide({ type: 'ReplaceTags', body: { tags: ['b', 'a'] } }, net(['a', 'b']))).toEqual([]);
    expect(decide({ type: 'AddTag', tag: 'a' }, net(['a', 'b']))).toEqual([]);
    expect(decide({ type: 'RemoveAllTags' }, net([]))).toEqual([]);
    expect(decide({ type: 'ReplaceTags', body: { tags: [] } }, net([]))).toEqual([]);
  });

  it('adds, removes and clears, on the kind\'s own update event', () => {
    expect(decide({ type: 'AddTag', tag: 'c' }, { kind: 'security_group', id: ID, tags: ['d', 'a'] })).toEqual([
      { type: 'security_group.updated', data: { changes: { tags: ['a', 'c', 'd'] } } },
    ]);
    expect(decide({ type: 'RemoveTag', tag: 'a' }, { kind: 'port', id: ID, tags: ['a', 'b'] })).toEqual([
      { type: 'port.updated', data: { changes: { tags: ['b'] } } },
    ]);
    expect(decide({ type: 'RemoveAllTags' }, { kind: 'floatingip', id: ID, tags: ['a', 'b'] })).toEqual([
      { type: 'floatingip.updated', data: { changes: { tags: [] } } },
    ]);
  });

  it('any string up to 255 characters is a tag: blanks, commas, the empty string, non-ASCII', () => {
    expect(decide({ type: 'ReplaceTags', body: { tags: ['', 'a,b', ' c', 'été', 'y'.repeat(255)] } }, net([]))).toHaveLength(1);
    expect(decide({ type: 'AddTag', tag: '€'.repeat(255) }, net([]))).toHaveLength(1);
  });

  it.each([
    [{ type: 'ReplaceTags', body: { tags: [long] } }, `Invalid input for operation: '${long}' exceeds maximum length of 255.`],
    [{ type: 'ReplaceTags', body: { tags: ['a', 'a'] } }, "Invalid input for operation: Duplicate items in the list: 'a'."],
    [{ type: 'ReplaceTags', body: { tags: ['a', 1] } }, "Invalid input for operation: '1' is not a valid string."],
    [{ type: 'ReplaceTags', body: { tags: 'a' } }, "Invalid input for operation: 'a' is not a list."],
    [{ type: 'ReplaceTags', body: { tags: null } }, "Invalid input for operation: 'None' is not a list."],
    [{ type: 'ReplaceTags', body: { tag: ['a'] } }, 'Invalid input for operation: Invalid tags body.'],
    [{ type: 'ReplaceTags', body: ['a'] }, 'Invalid input for operation: Invalid tags body.'],
    [{ type: 'ReplaceTags', body: undefined }, 'Invalid input for operation: Invalid tags body.'],
    [{ type: 'AddTag', tag: long }, `Invalid input for operation: '${long}' exceeds maximum length of 255.`],
    [{ type: 'RemoveTag', tag: long }, `Invalid input for operation: '${long}' exceeds maximum length of 255.`],
  ] as Array<[TagCommand, string]>)('case %#: a 400 InvalidInput, checked before the resource is looked up', (command, message) => {
    expect(refusal(() => decide(command, net(undefined)))).toEqual({ status: 400, type: 'InvalidInput', message });
  });

  it('a resource missing (or hidden) is TagResourceNotFound naming the collection', () => {
    for (const c of [{ type: 'AddTag', tag: 'a' }, { type: 'RemoveTag', tag: 'a' }, { type: 'RemoveAllTags' }, { type: 'ReplaceTags', body: { tags: [] } }] as TagCommand[]) {
      expect(refusal(() => decide(c, net(undefined)))).toEqual({ status: 404, type: 'TagResourceNotFound', message: `Resource networks ${ID} could not be found.` });
    }
    expect(refusal(() => tagsOf({ kind: 'security_group', id: 'x', tags: undefined }))).toEqual({
      status: 404, type: 'TagResourceNotFound', message: 'Resource security_groups x could not be found.',
    });
  });

  it('removing or checking a tag the resource lacks is TagNotFound', () => {
    expect(refusal(() => decide({ type: 'RemoveTag', tag: 'nope' }, net(['a'])))).toEqual({ status: 404, type: 'TagNotFound', message: 'Tag nope could not be found.' });
    expect(refusal(() => checkTag(net(['a']), 'nope'))).toEqual({ status: 404, type: 'TagNotFound', message: 'Tag nope could not be found.' });
    expect(refusal(() => checkTag(net(['a']), 'a'))).toBe('no error');
  });

  it('evolves the state with the new set', () => {
    const [e] = decide({ type: 'AddTag', tag: 'b' }, net(['a']));
    expect(tagsDecider.evolve(net(['a']), { ...e, at: '2026-01-01T00:00:00Z' })).toEqual(net(['a', 'b']));
  });
});

// Zed's answers for networks tagged a: [red, blue], b: [red], c: [blue, green], d: [], e: ['a,b'].
describe('tag filters', () => {
  const nets: Record<string, string[]> = { a: ['red', 'blue'], b: ['red'], c: ['blue', 'green'], d: [], e: ['a,b'] };
  const listed = (filters: Array<[Parameters<typeof matchesTagFilter>[0], string[]]>) =>
    Object.keys(nets).filter((n) => filters.every(([f, v]) => matchesTagFilter(f, nets[n], v)));

  it.each([
    [[['tags', ['red']]], ['a', 'b']],
    [[['tags', ['red,blue']]], ['a']],
    [[['tags', ['red', 'blue']]], ['a']],
    [[['tags-any', ['red,green']]], ['a', 'b', 'c']],
    [[['tags-any', ['red', 'green']]], ['a', 'b', 'c']],
    [[['not-tags', ['red,blue']]], ['b', 'c', 'd', 'e']],
    [[['not-tags', ['red']]], ['c', 'd', 'e']],
    [[['not-tags-any', ['red,green']]], ['d', 'e']],
    [[['not-tags-any', ['red', 'green']]], ['d', 'e']],
    [[['tags', ['red']], ['not-tags', ['blue']]], ['b']],
    [[['tags', ['']]], []],
    [[['tags-any', ['']]], []],
    [[['not-tags', ['']]], ['a', 'b', 'c', 'd', 'e']],
    [[['not-tags-any', ['']]], ['a', 'b', 'c', 'd', 'e']],
    [[['tags', ['red,']]], []],
    [[['tags', ['a,b']]], []],
    [[['not-tags-any', ['nope']]], ['a', 'b', 'c', 'd', 'e']],
  ] as Array<[Array<[Parameters<typeof matchesTagFilter>[0], string[]]>, string[]]>)('%j lists %j', (filters, names) => {
    expect(listed(filters)).toEqual(names);
  });
});
