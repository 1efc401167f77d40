/** Backoff before retry number `retry` (0-based): exponential from `baseMs`, capped, with jitter. */
export function backoffMs(retry: number, { baseMs = 500, capMs = 8_000, random = Math.random } = {}): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** retry);
  // "Equal jitter": at least half the ceiling, so retries spread out without collapsing to ~0.
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * `Retry-After` in seconds: delta-seconds or an HTTP date (RFC 9110). `undefined` when absent or
 * unreadable; never negative.
 */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^[0-9]+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** Statuses worth retrying: rate limited, and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
