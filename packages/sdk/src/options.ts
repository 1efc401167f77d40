import { resolveToleranceSeconds, WebhookVerificationError } from '@inbox/signing/web';

/** One webhook secret (`whsec_…`), or several while rotating: a request signed by any of them passes. */
export type WebhookSecrets = string | readonly string[];

export interface ConstructEventOptions {
  /**
   * How far `webhook-timestamp` may be from this machine's clock, either way, in seconds.
   * Default 300 (5 minutes). Older requests are refused as possible replays.
   */
  toleranceSeconds?: number;
  /**
   * Refuse requests that lack the timestamped Standard Webhooks headers instead of falling back to
   * `X-Inbox-Signature` (which has no timestamp, so a captured request could be replayed).
   * Inbox always sends both; default false for receivers behind proxies that drop headers.
   */
  requireTimestamp?: boolean;
  /** The current time in milliseconds. Default `Date.now` (tests pass a fixed clock). */
  now?: () => number;
}

/** The tolerance to use, or a RangeError for a value that is not a number >= 0. */
export function toleranceOf(options: ConstructEventOptions, caller: string): number {
  return resolveToleranceSeconds(options.toleranceSeconds, caller);
}

/**
 * The secrets as a list. An absent or empty one is `invalid_secret` (usually an unset environment
 * variable), never a silent pass.
 */
export function secretList(secrets: WebhookSecrets | undefined | null): string[] {
  const list: unknown[] = typeof secrets === 'string' ? [secrets] : Array.isArray(secrets) ? secrets : [];
  if (list.length === 0 || list.some((s) => typeof s !== 'string' || s === '')) {
    throw new WebhookVerificationError(
      'invalid_secret',
      'no webhook secret given: pass the secret ("whsec_…") shown when the webhook was created ' +
        '(is the environment variable that should hold it set?)',
    );
  }
  return list as string[];
}

export function invalidSecretError(index: number, count: number): WebhookVerificationError {
  const which = count === 1 ? 'the secret' : `secret #${index + 1}`;
  return new WebhookVerificationError(
    'invalid_secret',
    `${which} is not a webhook secret: expected "whsec_" followed by base64 of 24 to 64 bytes, as shown when the webhook was created`,
  );
}

/** Fails fast at setup when a helper is built without a secret (usually an unset environment variable). */
export function assertSecretOption(secret: unknown, caller: string): void {
  const empty = secret == null || secret === '' || (Array.isArray(secret) && secret.length === 0);
  if (empty) {
    throw new TypeError(
      `${caller}: options.secret is required (the "whsec_…" secret; is its environment variable set?)`,
    );
  }
}
