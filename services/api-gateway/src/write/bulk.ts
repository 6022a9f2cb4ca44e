import { isBulkBody, splitBulkBody } from '@neutrino/domain';
import { parseJsonBody } from '../http/json-body';
import { newId } from './clock';
import { provablyNotStored } from './append-outcome';
import { nothing, withReservation, type Reservation } from './reservation';

/** What a create takes from its project's quota, claimed for all items at once before any is created (see QuotasService). */
export type QuotaClaims = (items: Array<{ id: string; body: Record<string, unknown> }>) => Reservation<unknown>;

/** A bulk create recorded in the log (see BulkBatches): its ids, then a commit, or an abort the settlement completes. */
export interface BulkRecord {
  /** Records the batch of `count` resources before any of them exists; resolves to their ids. */
  begin(count: number): Promise<OpenBatch>;
}

export interface OpenBatch {
  ids: string[];
  /** Throws when the batch was aborted meanwhile (the settlement took it for dead): nothing more of it is created. */
  check(): void;
  commit(): Promise<void>;
  abort(reason: string): Promise<void>;
}

/**
 * Neutron's create bodies: {"network": {...}} or the bulk form
 * {"networks": [{...}, ...]}, whose items may also come wrapped
 * ({"networks": [{"network": {...}}]}, what tempest's clients send; split as
 * Zed does by the domain's splitBulkBody). Bulk creation is all or nothing: when one item
 * fails, the ones already created are removed again. With a `record` the
 * batch is also all or nothing across a crash of this process: its ids are
 * recorded before the first item, and the batch is committed after the last
 * (a batch never committed is undone by the settlement).
 */
export async function createOneOrMany<T>(
  raw: unknown,
  names: { singular: string; plural: string },
  createOne: (body: Record<string, unknown>, id?: string) => Promise<T>,
  undo: (created: T) => Promise<void>,
  record?: BulkRecord,
  /** Refuses a bad item before anything of the batch is recorded or created (pure; Neutron validates every item first too). */
  precheck?: (body: Record<string, unknown>) => void,
  /**
   * The quota the items take, claimed (for the whole batch: all or nothing, as Zed) after the
   * prechecks and before the first item; given back when the create provably failed.
   */
  quota?: QuotaClaims,
): Promise<{ one?: T; many?: T[] }> {
  const body = parseJsonBody(raw) as Record<string, unknown> | undefined;
  if (!isBulkBody(body, names.plural)) {
    if (!quota) return { one: await createOne(body as Record<string, unknown>) };
    if (precheck) precheck(body as Record<string, unknown>);
    const id = newId();
    return { one: await withReservation(quota([{ id, body: body as Record<string, unknown> }]), () => createOne(body as Record<string, unknown>, id)) };
  }
  const items = splitBulkBody(body, names.singular, names.plural) as Array<Record<string, unknown>>;
  if (precheck) for (const item of items) precheck(item);
  const batch = record ? await record.begin(items.length) : undefined;
  const ids = batch?.ids ?? (quota ? items.map(() => newId()) : undefined);
  const claim = quota ? quota(items.map((item, i) => ({ id: ids![i], body: item }))) : nothing;
  let claimed: { value: unknown } | undefined;
  const done: T[] = [];
  try {
    claimed = { value: await claim.reserve() };
    for (const [i, item] of items.entries()) {
      batch?.check();
      done.push(await createOne(item, ids?.[i]));
    }
    await batch?.commit();
    return { many: done };
  } catch (err) {
    for (const created of done.reverse()) await undo(created).catch(() => undefined);
    // The items not created give back their claims (an undone item's deletion gave back its resource).
    if (claimed && provablyNotStored(err)) await claim.release(claimed.value).catch(() => undefined);
    // The abort closes the batch; the settlement deletes whatever of it is still there (an item whose append outcome was unknown).
    await batch?.abort((err as Error)?.message ?? String(err)).catch(() => undefined);
    throw err;
  }
}
