import { flowKey, type OfFlow } from './flows';

export interface FlowDiff {
  /** Flows to (re)write with `add-flows`: missing ones, and ours whose actions or timeouts differ. */
  add: OfFlow[];
  /** Our flows nobody wants any more, for `--strict del-flows`. */
  del: OfFlow[];
  /** Wanted flows whose table+priority+match is held by a flow of another cookie: left alone (writing would replace it). */
  conflicts: { desired: OfFlow; installed: OfFlow }[];
}

export interface FlowDiffOptions {
  /**
   * Installed flows of our cookie that are kept even when not desired. Default:
   * flows that expire by themselves (idle or hard timeout — e.g. what a `learn`
   * action wrote with our cookie).
   */
  keep?: (f: OfFlow) => boolean;
}

const ephemeral = (f: OfFlow) => !!(f.idleTimeout || f.hardTimeout);
const sameFlow = (a: OfFlow, b: OfFlow) =>
  a.cookie === b.cookie && a.actions === b.actions && (a.idleTimeout ?? 0) === (b.idleTimeout ?? 0) && (a.hardTimeout ?? 0) === (b.hardTimeout ?? 0);

/**
 * The desired flows of one cookie against a bridge's installed flows. Pure.
 * Flows of any other cookie are never added over, changed or deleted.
 */
export function diffFlows(desired: OfFlow[], installed: OfFlow[], cookie: string, opts: FlowDiffOptions = {}): FlowDiff {
  const keep = opts.keep ?? ephemeral;
  const want = new Map<string, OfFlow>();
  for (const f of desired) {
    if (f.cookie !== cookie) throw new Error(`desired flow with cookie ${f.cookie}, not ${cookie}: ${flowKey(f)}`);
    const k = flowKey(f);
    if (want.has(k)) throw new Error(`two desired flows with the same table, priority and match: ${k}`);
    want.set(k, f);
  }
  const have = new Map<string, OfFlow>();
  for (const f of installed) have.set(flowKey(f), f);
  const out: FlowDiff = { add: [], del: [], conflicts: [] };
  for (const [k, f] of want) {
    const cur = have.get(k);
    if (!cur) out.add.push(f);
    else if (cur.cookie !== cookie) out.conflicts.push({ desired: f, installed: cur });
    else if (!sameFlow(f, cur)) out.add.push(f);
  }
  for (const [k, f] of have) if (f.cookie === cookie && !want.has(k) && !keep(f)) out.del.push(f);
  return out;
}

export const flowDiffEmpty = (d: FlowDiff): boolean => d.add.length === 0 && d.del.length === 0;
