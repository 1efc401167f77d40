export {
  SIGNING_VERSION,
  DEFAULT_USER_AGENT,
  SECRET_PREFIX,
  SECRET_BYTES,
  INBOX_SIGNATURE_PREFIX,
  DEFAULT_TOLERANCE_SECONDS,
  HEADER_CONTENT_TYPE,
  HEADER_USER_AGENT,
  HEADER_INBOX_SIGNATURE,
  HEADER_INBOX_EVENT_ID,
  HEADER_INBOX_EVENT_TYPE,
  HEADER_INBOX_DELIVERY_ATTEMPT,
  HEADER_WEBHOOK_ID,
  HEADER_WEBHOOK_TIMESTAMP,
  HEADER_WEBHOOK_SIGNATURE,
} from './constants.js';
export { VERIFICATION_ERROR_CODES, WebhookVerificationError } from './errors.js';
export type { VerificationErrorCode } from './errors.js';
export { generateSecret } from './secret.js';
export { isValidSecret } from './secret-format.js';
export { signInboxSignature, verifyInboxSignature } from './inbox-signature.js';
export { signStandardWebhook, verifyStandardWebhook } from './standard-webhooks.js';
export type { SignStandardWebhookInput, VerifyStandardWebhookOptions } from './standard-webhooks.js';
export type { HeadersInput } from './headers.js';
export { buildDeliveryHeaders } from './delivery-headers.js';
export type { DeliveryHeadersInput } from './delivery-headers.js';
