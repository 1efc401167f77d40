/** Why `verifyStandardWebhook` (or `parseStandardWebhookHeaders`) refused a request. */
export const VERIFICATION_ERROR_CODES = [
  'missing_header',
  'invalid_header',
  'timestamp_too_old',
  'timestamp_too_new',
  'invalid_signature',
  'invalid_secret',
] as const;

export type VerificationErrorCode = (typeof VERIFICATION_ERROR_CODES)[number];

/**
 * Thrown by `verifyStandardWebhook` and `parseStandardWebhookHeaders`. `code` says what was wrong,
 * for programs; `message` says what to fix, for people. Neither ever contains a secret.
 */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  readonly code: VerificationErrorCode;

  constructor(code: VerificationErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
