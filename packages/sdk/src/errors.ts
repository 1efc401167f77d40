import { WebhookVerificationError as SigningVerificationError } from '@inbox/signing/web';

/**
 * Why a webhook request was refused. The first six are the signature checks (the same codes
 * `@inbox/signing` uses); the last three are about the body, checked only once the signature holds.
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

/**
 * Codes for a request whose signature is valid but whose event this version of the SDK does not
 * understand (a newer event type, or a shape it does not expect). Retrying will not change the
 * signed bytes, so the framework helpers acknowledge these with 2xx and report them instead.
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
 * Thrown by `constructEvent` and friends. `code` says what was wrong, for programs; `message` says
 * what to fix, for people. Neither ever contains the secret.
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
   * True when the request did come from Inbox (valid signature) but carries an event this SDK
   * version cannot type: answer it with 2xx (retries resend the same bytes) and log it.
   */
  get isAuthentic(): boolean {
    return AUTHENTIC_PAYLOAD_CODES.has(this.code);
  }
}

/** The SDK's error for one made by @inbox/signing: same code, same message. */
export function fromSigningError(error: SigningVerificationError): WebhookVerificationError {
  return new WebhookVerificationError(error.code, error.message);
}

/**
 * Runs `check` (an @inbox/signing verifier or parser), rethrowing its `WebhookVerificationError` as
 * the SDK's: every entry point of the SDK throws the SDK's one class.
 */
export function withSdkErrors<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw error instanceof SigningVerificationError ? fromSigningError(error) : error;
  }
}
