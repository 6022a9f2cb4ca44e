import { NeutronError } from '@neutrino/domain';
import { parseJsonBody } from '../http/json-body';

/**
 * Neutron's create bodies: {"network": {...}} or the bulk form
 * {"networks": [{...}, ...]}. Bulk creation is all or nothing: when one item
 * fails, the ones already created are removed again.
 */
export async function createOneOrMany<T>(
  raw: unknown,
  names: { singular: string; plural: string },
  createOne: (body: Record<string, unknown>) => Promise<T>,
  undo: (created: T) => Promise<void>,
): Promise<{ one?: T; many?: T[] }> {
  const body = parseJsonBody(raw) as Record<string, unknown> | undefined;
  const items = body && typeof body === 'object' && !Array.isArray(body) ? body[names.plural] : undefined;
  if (items === undefined) return { one: await createOne(body as Record<string, unknown>) };
  if (!Array.isArray(items) || !items.length) throw new NeutronError(400, 'HTTPBadRequest', `Resources required`);
  const done: T[] = [];
  try {
    for (const item of items) done.push(await createOne({ [names.singular]: item }));
    return { many: done };
  } catch (err) {
    for (const created of done.reverse()) await undo(created).catch(() => undefined);
    throw err;
  }
}
