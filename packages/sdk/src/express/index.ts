import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { WebhookEvent } from '@inbox/events';
import { WebhookVerificationError } from '@inbox/signing/web';
import { isRawBody, type RawBody } from '../event.js';
import type { UnknownEvent, WebhookHandler } from '../handler.js';
import { assertSecretOption, type ConstructEventOptions, type WebhookSecrets } from '../options.js';
import { RawBodyError } from '../raw-body-error.js';
import { acknowledgeUnknown, isMisconfiguration, receiveWithHandler, rejection, type WebhookReply } from '../reply.js';
import { constructEvent } from '../verify.js';

declare global {
  // Express's own way to type request extensions (declaration merging into `Express.Request`).
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The verified event, set by `inboxWebhook()` from `@inbox/sdk/express`. */
      inboxEvent?: WebhookEvent;
    }
  }
}

export interface InboxWebhookOptions extends ConstructEventOptions {
  /** The webhook secret (`whsec_…`), or several while rotating. */
  secret: WebhookSecrets;
  /**
   * A handler map (`createHandler(...)`): the middleware runs it and answers 200 itself. Without
   * one, it sets `req.inboxEvent` and calls the next handler of the route.
   */
  handler?: WebhookHandler;
  /** Called for an authentic event this SDK version cannot type (acknowledged with 200). Default: `handler`'s, else a warning. */
  onUnknown?: (unknown: UnknownEvent) => unknown;
  /** Largest body read, as `express.raw` takes it. Default `'1mb'`. */
  limit?: string | number;
}

/** The request as the middleware sees it: Node's, plus what body parsers may have added. */
export type InboxWebhookRequest = IncomingMessage & { body?: unknown; rawBody?: unknown; inboxEvent?: WebhookEvent };

export type InboxWebhookMiddleware = (
  req: InboxWebhookRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

const PRE_PARSED_MESSAGE =
  'inboxWebhook(): the request body was already parsed (express.json() or another body parser ran before this ' +
  'route), so the exact bytes Inbox signed are gone. Fix one of: (1) register the webhook route before ' +
  'app.use(express.json()); (2) keep the raw bytes: app.use(express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })); ' +
  '(3) skip the webhook path in the global parser. In NestJS, create the app with { rawBody: true } and use @inbox/sdk/nestjs.';

/** The exact bytes received: read by our own `express.raw`, or kept by an earlier parser as `req.rawBody`. */
function rawBodyOf(req: InboxWebhookRequest): RawBody | RawBodyError {
  if (isRawBody(req.body) && typeof req.body !== 'string') return req.body;
  if (isRawBody(req.rawBody)) return req.rawBody;
  // No body at all (body parsers leave `undefined`, or `{}` in Express 4): verify the empty bytes.
  const sentBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!sentBody) return new Uint8Array(0);
  return new RawBodyError(PRE_PARSED_MESSAGE);
}

function send(res: ServerResponse, reply: WebhookReply): void {
  res.statusCode = reply.status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(reply.body));
}

/**
 * Express (4.17+ and 5) middleware that reads the raw body itself (`express.raw`), verifies it
 * with `constructEvent`, then either runs `options.handler` and answers 200, or sets
 * `req.inboxEvent` and calls `next()`. A refused request gets 400/401 `{"error": {code, message}}`;
 * an authentic event this SDK cannot type gets 200 and is reported. A setup mistake (body already
 * parsed, bad secret) and a handler's error go to `next(error)`: 500, and Inbox retries.
 *
 * ```ts
 * app.post('/webhooks/inbox', inboxWebhook({ secret: process.env.INBOX_WEBHOOK_SECRET!, handler }));
 * ```
 */
export function inboxWebhook(options: InboxWebhookOptions): InboxWebhookMiddleware {
  assertSecretOption(options?.secret, 'inboxWebhook');
  const { secret, handler, onUnknown, limit = '1mb', ...verifyOptions } = options;
  // Every content type: the signature, not the header, decides whether the body is genuine.
  const readRaw = express.raw({ type: () => true, limit });

  return (req, res, next) => {
    readRaw(req as express.Request, res as express.Response, (readError?: unknown) => {
      if (readError) return next(readError);
      const raw = rawBodyOf(req);
      if (raw instanceof RawBodyError) return next(raw);
      const verify = () => constructEvent(raw, req.headers, secret, verifyOptions);
      void respond(req, res, next, verify, handler, onUnknown).catch(next);
    });
  };
}

async function respond(
  req: InboxWebhookRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
  verify: () => WebhookEvent,
  handler: WebhookHandler | undefined,
  onUnknown: ((unknown: UnknownEvent) => unknown) | undefined,
): Promise<void> {
  if (handler) return send(res, await receiveWithHandler(verify, handler, onUnknown));
  let event: WebhookEvent;
  try {
    event = verify();
  } catch (error) {
    if (isMisconfiguration(error)) return next(error);
    const failure = error as WebhookVerificationError;
    return send(
      res,
      failure.isAuthentic ? await acknowledgeUnknown(failure, undefined, onUnknown) : rejection(failure),
    );
  }
  req.inboxEvent = event;
  next();
}

export { RawBodyError };
export type { WebhookHandler, UnknownEvent };
