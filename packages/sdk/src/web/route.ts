import type { UnknownEvent, WebhookHandler } from '../handler.js';
import { assertSecretOption, type ConstructEventOptions, type WebhookSecrets } from '../options.js';
import { receiveWithHandler, type WebhookReply } from '../reply.js';
import { constructEventFromRequest } from './construct-event.js';

export interface InboxWebhookRouteOptions extends ConstructEventOptions {
  /** The webhook secret (`whsec_…`), or several while rotating. */
  secret: WebhookSecrets;
  /** The handler map (`createHandler(...)`) that gets each verified event. */
  handler: WebhookHandler;
  /** Called for an authentic event this SDK version cannot type (acknowledged with 200). Default: `handler`'s. */
  onUnknown?: (unknown: UnknownEvent) => unknown;
}

function toResponse(reply: WebhookReply): Response {
  return Response.json(reply.body, { status: reply.status });
}

/**
 * A Web-standard route handler, `(request: Request) => Promise<Response>`: verifies with Web Crypto,
 * runs the handler map, answers 200; 400/401 `{"error": {code, message}}` for a refused request.
 * A handler's error or a bad secret rejects the promise, so the runtime answers 500 and Inbox retries.
 *
 * ```ts
 * // app/webhooks/inbox/route.ts (Next.js)
 * export const POST = inboxWebhookRoute({ secret: process.env.INBOX_WEBHOOK_SECRET!, handler });
 * ```
 */
export function inboxWebhookRoute(options: InboxWebhookRouteOptions): (request: Request) => Promise<Response> {
  assertSecretOption(options?.secret, 'inboxWebhookRoute');
  if (options.handler == null)
    throw new TypeError('inboxWebhookRoute: options.handler is required (createHandler({...}))');
  const { secret, handler, onUnknown, ...verifyOptions } = options;
  return async (request) =>
    toResponse(
      await receiveWithHandler(() => constructEventFromRequest(request, secret, verifyOptions), handler, onUnknown),
    );
}
