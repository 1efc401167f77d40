import { HEADER_INBOX_SIGNATURE, HEADER_WEBHOOK_SIGNATURE, WebhookVerificationError } from '@inbox/signing/web';

// Failures worded once for both verifiers (node:crypto and Web Crypto).

/** `missing_header`, saying which headers were looked for. */
export function missingSignatureHeaders(
  requireTimestamp: boolean,
  hasInboxSignature: boolean,
): WebhookVerificationError {
  const message =
    requireTimestamp && hasInboxSignature
      ? `missing ${HEADER_WEBHOOK_SIGNATURE} header: requireTimestamp is on, so ${HEADER_INBOX_SIGNATURE} alone is not accepted`
      : `missing signature header: neither ${HEADER_WEBHOOK_SIGNATURE} nor ${HEADER_INBOX_SIGNATURE} was sent ` +
        '(the request did not come from Inbox, or a proxy dropped the headers)';
  return new WebhookVerificationError('missing_header', message);
}

/** `invalid_header`: no part of `X-Inbox-Signature` is a SHA-256 digest. */
export function malformedInboxSignature(): WebhookVerificationError {
  return new WebhookVerificationError(
    'invalid_header',
    `${HEADER_INBOX_SIGNATURE} must be "sha256=" followed by 64 hex digits`,
  );
}

export function inboxSignatureMismatch(): WebhookVerificationError {
  return new WebhookVerificationError(
    'invalid_signature',
    `${HEADER_INBOX_SIGNATURE} does not match: verify the raw request body (not re-serialized JSON) with this webhook's current secret`,
  );
}
