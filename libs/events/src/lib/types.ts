/** Who caused an event (from the request's auth context). */
export interface EventActor {
  user_id: string | null;
  project_id: string | null;
  roles: string[];
}

/** The JSON body of every message on the event stream. */
export interface EventEnvelope<D = unknown> {
  /** uuid v4, also used as Nats-Msg-Id (publish deduplication). */
  id: string;
  /** Past tense, dotted: 'network.created', 'ip.allocated'. */
  type: string;
  /** Schema version of `data`, default 1. */
  schema: number;
  /** The aggregate the event belongs to; its subject is evt.<type>.<id>. */
  aggregate: { type: string; id: string };
  /** ISO-8601 UTC timestamp. */
  at: string;
  actor: EventActor;
  request_id: string | null;
  causation_id: string | null;
  data: D;
}

/** An envelope as read back: `seq` is the stream sequence (global position). */
export interface StoredEvent<D = unknown> extends EventEnvelope<D> {
  seq: number;
  subject: string;
}

/** What callers hand to append(): id, at and schema are filled in when absent. */
export type NewEvent<D = unknown> = Omit<EventEnvelope<D>, 'id' | 'at' | 'schema'> &
  Partial<Pick<EventEnvelope<D>, 'id' | 'at' | 'schema'>>;

/** A running consumption (follow / consumeDurable). */
export interface Follower {
  /** Stops consuming; resolves once an in-flight handler call has settled. */
  stop(): Promise<void>;
  /** Stream sequence of the last event handed out and successfully handled (fromSeq-1 before any). */
  lastDelivered(): number;
}

/** The subject an aggregate's events are stored under. */
export const subjectOf = (aggregate: { type: string; id: string }): string => `evt.${aggregate.type}.${aggregate.id}`;
