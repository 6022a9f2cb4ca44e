export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Exponential backoff: base * 2^(attempt-1), capped. */
export function backoff(attempt: number, baseMs = 50, capMs = 2_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
