import { ConcurrencyError, type StoredEvent } from '@neutrino/events';
import { conflict, type AggregateRef, type CoreEvent } from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import type { Writer } from './writer';

/** One command on one aggregate: how to load its state from the read model, and its (pure) decision. */
export interface Command<S> {
  aggregate: AggregateRef;
  /** The aggregate's state and the facts its invariants need, with the subject's last sequence as the read model knows it. */
  load(): { state: S; seq: number };
  /**
   * The state a process decided on before it acted (reserved, recorded): the
   * first attempt appends that decision with that state's sequence, so anything
   * appended to the subject since then makes it decide again on fresh state.
   */
  initial?: { state: S; seq: number };
  /** Pure: the events, or a thrown NeutronError. */
  decide(state: S): CoreEvent[];
}

export interface CommandHandlerOptions {
  /** How long a command keeps re-deciding after lost races before it answers 409 (ms). */
  deadlineMs?: number;
  baseBackoffMs?: number;
  capBackoffMs?: number;
}

/**
 * load → decide → append with the expected subject sequence. When the append
 * loses a race (another writer appended to the subject first) the read model is
 * caught up and the command decided again on the fresh state — only this pure
 * part is retried — with jittered backoff until a deadline; then 409.
 */
export class CommandHandler {
  private readonly deadlineMs: number;
  private readonly base: number;
  private readonly cap: number;

  constructor(
    private readonly writer: Writer,
    opts: CommandHandlerOptions = {},
  ) {
    this.deadlineMs = opts.deadlineMs ?? 10_000;
    this.base = opts.baseBackoffMs ?? 5;
    this.cap = opts.capBackoffMs ?? 250;
  }

  async handle<S>(ctx: RequestContext, command: Command<S>): Promise<StoredEvent[]> {
    let initial = command.initial;
    return this.retrying(async () => {
      const { state, seq } = initial ?? command.load();
      initial = undefined;
      const events = command.decide(state);
      if (!events.length) return [];
      return this.writer.append(ctx, command.aggregate, events, seq);
    }, command.aggregate);
  }

  /**
   * Retries `attempt` (which must decide on fresh state each time and do nothing
   * that allocates) while it fails with ConcurrencyError, until the deadline.
   */
  async retrying<T>(attempt: () => Promise<T>, aggregate?: AggregateRef): Promise<T> {
    const until = Date.now() + this.deadlineMs;
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof ConcurrencyError)) throw err;
        if (Date.now() >= until) {
          const what = aggregate ? `${aggregate.type} ${aggregate.id}` : err.subject;
          throw conflict('Conflict', `The ${what} was changed by other requests ${n} times while this one was decided; try again.`);
        }
        const ceiling = Math.min(this.cap, this.base * 2 ** Math.min(n - 1, 10));
        await new Promise((r) => setTimeout(r, Math.random() * ceiling));
        await this.writer.catchUp();
      }
    }
  }
}
