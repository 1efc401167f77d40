import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/**
 * Calls `check` every `intervalMs` until it returns true; throws naming `what` after `timeoutMs`.
 * An error thrown by `check` ends the wait at once.
 */
export async function pollUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  { timeoutMs, intervalMs = 100 }: { timeoutMs: number; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
