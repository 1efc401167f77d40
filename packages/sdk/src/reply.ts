import type { WebhookEvent } from '@inbox/events';
import { WebhookVerificationError, type WebhookVerificationErrorCode } from '@inbox/signing/web';
import { reportUnknown, type UnknownEvent, type WebhookHandler } from './handler.js';

// What the framework helpers answer, decided once: they differ only in how they write a response.

/** An HTTP answer: status and JSON body. */
export interface WebhookReply {
  status: number;
  body: { received: true; handled?: boolean } | { error: { code: WebhookVerificationErrorCode; message: string } };
}

/**
 * Status for a refused request: 400 for a body that is not JSON, 401 for everything about the
 * signature (the docs' example answers 401). Inbox retries any non-2xx.
 */
export function rejectionStatus(code: WebhookVerificationErrorCode): 400 | 401 {
  return code === 'invalid_json' ? 400 : 401;
}

export function rejection(error: WebhookVerificationError): WebhookReply {
  return { status: rejectionStatus(error.code), body: { error: { code: error.code, message: error.message } } };
}

export function received(handled?: boolean): WebhookReply {
  return { status: 200, body: handled === undefined ? { received: true } : { received: true, handled } };
}

/**
 * Whether an error means this receiver is misconfigured (no or a malformed secret) rather than the
 * request being bad: the helpers let it surface as a 500, so it gets logged and Inbox retries once
 * the secret is fixed.
 */
export function isMisconfiguration(error: unknown): boolean {
  return !(error instanceof WebhookVerificationError) || error.code === 'invalid_secret';
}

/** Reports an authentic event this SDK cannot type, through the handler or a given callback. */
export async function acknowledgeUnknown(
  error: WebhookVerificationError,
  handler: WebhookHandler | undefined,
  onUnknown: ((unknown: UnknownEvent) => unknown) | undefined,
): Promise<WebhookReply> {
  const unknown: UnknownEvent = { payload: error.payload, error };
  if (onUnknown) await onUnknown(unknown);
  else if (handler) await handler.handleUnknown(unknown);
  else reportUnknown(unknown);
  return received(false);
}

/**
 * Verifies with `verify`, then runs `handler`: 200 once the handlers finished, 4xx for a refused
 * request, 200 (reported) for an authentic event this SDK cannot type. A handler's error and a
 * misconfiguration are thrown, so the framework answers 500 and Inbox retries.
 */
export async function receiveWithHandler(
  verify: () => WebhookEvent | Promise<WebhookEvent>,
  handler: WebhookHandler,
  onUnknown?: (unknown: UnknownEvent) => unknown,
): Promise<WebhookReply> {
  let event: WebhookEvent;
  try {
    event = await verify();
  } catch (error) {
    if (isMisconfiguration(error)) throw error;
    const failure = error as WebhookVerificationError;
    return failure.isAuthentic ? acknowledgeUnknown(failure, handler, onUnknown) : rejection(failure);
  }
  const { handled } = await handler.handle(event);
  return received(handled);
}
