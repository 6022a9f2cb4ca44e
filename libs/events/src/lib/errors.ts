/** JetStream API error code for a failed Nats-Expected-Last-Subject-Sequence check. */
export const JS_WRONG_LAST_SEQUENCE = 10071;

/**
 * Optimistic concurrency conflict: the subject's last sequence was not the
 * expected one (someone else appended first, or a "create" found history).
 */
export class ConcurrencyError extends Error {
  override name = 'ConcurrencyError';
  constructor(
    public readonly subject: string,
    public readonly expectedSeq: number,
    /** The subject's actual last sequence when the server reported it, else null. */
    public readonly actualSeq: number | null = null,
  ) {
    super(
      `concurrency conflict on ${subject}: expected last sequence ${expectedSeq}` +
        (actualSeq === null ? '' : `, found ${actualSeq}`),
    );
  }
}

interface ApiErrorLike {
  api_error?: { code?: number; err_code?: number; description?: string };
  message?: string;
}

/** If `err` is JetStream's "wrong last sequence", returns the reported actual seq (or null if unknown). */
export function wrongLastSequence(err: unknown): { actual: number | null } | null {
  const e = err as ApiErrorLike | null;
  const desc = e?.api_error?.description ?? e?.message ?? '';
  if (e?.api_error?.err_code !== JS_WRONG_LAST_SEQUENCE && !/wrong last sequence/i.test(desc)) return null;
  const m = /wrong last sequence:\s*(\d+)/i.exec(desc);
  return { actual: m ? Number(m[1]) : null };
}

/** Errors worth retrying an idempotent request for (timeouts, JetStream briefly unavailable, disconnects). */
export function isTransient(err: unknown): boolean {
  const code = String((err as { code?: unknown })?.code ?? '');
  return ['TIMEOUT', '503', 'DISCONNECT', 'CONNECTION_REFUSED', 'CONNECTION_DRAINING'].includes(code);
}
