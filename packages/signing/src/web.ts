/**
 * @inbox/signing/web — the parts of @inbox/signing that need no node:crypto (and no Buffer), for
 * verifiers built on another crypto, such as Web Crypto (`crypto.subtle`): the wire constants, the
 * error, header lookup, the Standard Webhooks header checks, the secret format and the
 * X-Inbox-Signature format. Nothing here imports a Node built-in; a spec checks that.
 */
export * from './constants.js';
export { VERIFICATION_ERROR_CODES, WEBHOOK_VERIFICATION_ERROR_CODES, WebhookVerificationError } from './errors.js';
export type { VerificationErrorCode, WebhookVerificationErrorCode, WebhookVerificationErrorOptions } from './errors.js';
export { hasHeader, headerValues } from './headers.js';
export type { HeadersInput } from './headers.js';
export {
  parseStandardWebhookHeaders,
  resolveToleranceSeconds,
  standardSignatureMismatch,
} from './standard-webhooks-headers.js';
export type { ParseStandardWebhookHeadersOptions, StandardWebhookHeaders } from './standard-webhooks-headers.js';
export { decodeSecret, isValidSecret } from './secret-format.js';
export { inboxSignatureDigests, inboxSignatureHeaderValues } from './inbox-signature-header.js';
