import { isEventType, type EventOfType, type EventType, type WebhookEvent } from '@inbox/events';
import type { WebhookVerificationError } from '@inbox/signing/web';

/** A function handling one event type; whatever it returns is ignored, a rejection is an error. */
export type EventHandler<T extends EventType> = (event: EventOfType<T>) => unknown;

/** The handler map: at most one function per event type, each receiving that type's event. */
export type EventHandlerMap = { [T in EventType]?: EventHandler<T> };

/** An authentic request whose event this SDK version cannot type (a newer type, or an unexpected shape). */
export interface UnknownEvent {
  /** The parsed JSON body. */
  payload: unknown;
  /** `unknown_event_type` or `invalid_event`, with the reason in `message`. */
  error: WebhookVerificationError;
}

export interface WebhookHandlerOptions {
  /**
   * Called for an authentic event this SDK version cannot type. It is still acknowledged with 2xx
   * (Inbox would only resend the same bytes). Default: a `console.warn` line with the event id and type.
   */
  onUnknown?: (unknown: UnknownEvent) => unknown;
  /** Called for a known event type that has no handler. Default: nothing (it is acknowledged). */
  onUnhandled?: (event: WebhookEvent) => unknown;
}

/** What `handle` did: `handled` is false when no handler was registered for the event's type. */
export interface HandleResult {
  handled: boolean;
}

/**
 * Routes verified events to per-type handlers. Build it with `createHandler({...})`, add with
 * `.on(type, fn)`, and mount it with a framework helper (`inboxWebhook({ secret, handler })` for
 * Express, `inboxWebhookRoute` for Web `Request`s) or call `handle(event)` yourself.
 */
export class WebhookHandler {
  private readonly handlers = new Map<EventType, Array<(event: WebhookEvent) => unknown>>();

  constructor(
    handlers: EventHandlerMap = {},
    private readonly options: WebhookHandlerOptions = {},
  ) {
    for (const [type, fn] of Object.entries(handlers)) {
      if (fn !== undefined) this.add(type, fn);
    }
  }

  /** Adds a handler for one event type (several run in the order added). Returns the handler, for chaining. */
  on<T extends EventType>(type: T, fn: EventHandler<T>): this {
    this.add(type, fn);
    return this;
  }

  private add(type: string, fn: unknown): void {
    if (!isEventType(type)) throw new TypeError(`createHandler: "${type}" is not an event type`);
    if (typeof fn !== 'function') throw new TypeError(`createHandler: the handler for "${type}" must be a function`);
    const list = this.handlers.get(type) ?? [];
    list.push(fn as (event: WebhookEvent) => unknown);
    this.handlers.set(type, list);
  }

  /** Runs the handlers of the event's type, one after another. Rejects if one does. */
  async handle(event: WebhookEvent): Promise<HandleResult> {
    const list = this.handlers.get(event.type);
    if (!list || list.length === 0) {
      await this.options.onUnhandled?.(event);
      return { handled: false };
    }
    for (const fn of list) await fn(event);
    return { handled: true };
  }

  /** Reports an authentic event this SDK version cannot type (see `onUnknown`). */
  async handleUnknown(unknown: UnknownEvent): Promise<void> {
    if (this.options.onUnknown) {
      await this.options.onUnknown(unknown);
      return;
    }
    reportUnknown(unknown);
  }
}

/** The default report of an unknown event: one warning line, without the payload's data. */
export function reportUnknown({ payload, error }: UnknownEvent): void {
  const { id, type } = (payload ?? {}) as { id?: unknown; type?: unknown };
  console.warn(
    `[@inbox/sdk] acknowledged an event it cannot type (${error.code}): id=${String(id)} type=${String(type)}: ${error.message}`,
  );
}

/**
 * A typed handler map: `createHandler({ 'message.read': async (event) => … })`; each function gets
 * that type's event (`event.data.read_at` type-checks only under `'message.read'`).
 */
export function createHandler(handlers: EventHandlerMap = {}, options: WebhookHandlerOptions = {}): WebhookHandler {
  return new WebhookHandler(handlers, options);
}
