/**
 * Polls `check` until it returns a truthy value (which is returned) or the
 * timeout passes (then the last error, or a timeout error, is thrown).
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  opts: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let lastErr: unknown = null;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      lastErr = null;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      if (lastErr) throw lastErr;
      throw new Error(opts.message ?? 'waitFor: condition not met in time');
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 20));
  }
}
