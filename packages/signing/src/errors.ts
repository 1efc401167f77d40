/**
 * Every code a `WebhookVerificationError` carries. The first six are the signature checks (the
 * ones this package throws); the last three are about the body, which `@inbox/sdk` checks only once
 * the signature holds. One list for both packages, because they throw one class.
 */
export const WEBHOOK_VERIFICATION_ERROR_CODES = [
  'missing_header',
  'invalid_header',
  'invalid_signature',
  'timestamp_too_old',
  'timestamp_too_new',
  'invalid_secret',
  'invalid_json',
  'unknown_event_type',
  'invalid_event',
] as const;

export type WebhookVerificationErrorCode = (typeof WEBHOOK_VERIFICATION_ERROR_CODES)[number];

/** Why `verifyStandardWebhook` (or `parseStandardWebhookHeaders`) refused a request. */
export const VERIFICATION_ERROR_CODES = [
  'missing_header',
  'invalid_header',
  'timestamp_too_old',
  'timestamp_too_new',
  'invalid_signature',
  'invalid_secret',
] as const satisfies readonly WebhookVerificationErrorCode[];

export type VerificationErrorCode = (typeof VERIFICATION_ERROR_CODES)[number];

/**
 * Codes for a request whose signature is valid but whose event the SDK does not understand (a
 * newer event type, or a shape it does not expect). Retrying will not change the signed bytes, so
 * the SDK's framework helpers acknowledge these with 2xx and report them instead.
 */
const AUTHENTIC_PAYLOAD_CODES: ReadonlySet<WebhookVerificationErrorCode> = new Set([
  'unknown_event_type',
  'invalid_event',
]);

export interface WebhookVerificationErrorOptions {
  /** The parsed JSON body, set only when the signature was valid (`unknown_event_type`, `invalid_event`). */
  payload?: unknown;
  /** What did not match the event schema (`invalid_event`): dotted path and message per problem. */
  issues?: ReadonlyArray<{ path: string; message: string }>;
  cause?: unknown;
}

/**
 * Thrown by `verifyStandardWebhook`, `parseStandardWebhookHeaders` and `@inbox/sdk`'s
 * `constructEvent` and friends: one class, defined here and re-exported by the SDK, so `instanceof`
 * holds whichever package threw it or the caller imported it from. `code` says what was wrong, for
 * programs; `message` says what to fix, for people. Neither ever contains a secret.
 */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  readonly code: WebhookVerificationErrorCode;
  /** The verified JSON body, for `unknown_event_type` and `invalid_event` only. */
  readonly payload: unknown;
  readonly issues: ReadonlyArray<{ path: string; message: string }> | undefined;

  constructor(code: WebhookVerificationErrorCode, message: string, options: WebhookVerificationErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.payload = options.payload;
    this.issues = options.issues;
  }

  /**
   * True when the request did come from Inbox (valid signature) but carries an event the SDK
   * cannot type: answer it with 2xx (retries resend the same bytes) and log it.
   */
  get isAuthentic(): boolean {
    return AUTHENTIC_PAYLOAD_CODES.has(this.code);
  }
}
