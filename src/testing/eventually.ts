export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Re-runs `probe` until it stops throwing (or returns something other than
 * `false`), or the deadline passes; then rethrows the last failure. Use it
 * instead of sleeping when waiting for asynchronous work.
 */
export async function eventually<T>(probe: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await probe();
      if (result !== false) return result;
      lastError = new Error('probe returned false');
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const message = lastError instanceof Error ? lastError.message : String(lastError);
      throw Object.assign(new Error(`eventually: still failing after ${timeoutMs} ms: ${message}`), {
        cause: lastError,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
