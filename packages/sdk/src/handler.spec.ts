import { exampleEvents, type WebhookEvent } from '@inbox/events';
import { WebhookVerificationError } from '@inbox/signing/web';
import { createHandler } from './handler.js';

describe('createHandler', () => {
  it('routes each event to the handler of its type, typed by that type', async () => {
    const seen: string[] = [];
    const handler = createHandler({
      'message.read': (event) => {
        seen.push(`read ${event.data.read_at}`);
      },
      'message.failed': async (event) => {
        seen.push(`failed ${event.data.error_code}`);
      },
    });
    await expect(handler.handle(exampleEvents['message.read'])).resolves.toEqual({ handled: true });
    await expect(handler.handle(exampleEvents['message.failed'])).resolves.toEqual({ handled: true });
    expect(seen).toEqual(['read 2025-01-15T10:25:15Z', 'failed recipient_unreachable']);
  });

  it('types webhook.disabled events too', async () => {
    const seen: string[] = [];
    const handler = createHandler({
      'webhook.disabled': (event) => {
        const reason: 'failing' | 'gone' = event.data.reason;
        seen.push(`${event.data.webhook_id} ${reason} ${event.data.disabled_at}`);
      },
    });
    await expect(handler.handle(exampleEvents['webhook.disabled'])).resolves.toEqual({ handled: true });
    expect(seen).toEqual(['wh_1234567890 failing 2025-01-20T10:30:00Z']);
  });

  it('.on() adds handlers, chained, run one after another in the order added', async () => {
    const order: number[] = [];
    const handler = createHandler()
      .on('message.action', async (event) => {
        await new Promise((r) => setTimeout(r, 5));
        order.push(event.data.action === 'confirm' ? 1 : -1);
      })
      .on('message.action', () => {
        order.push(2);
      });
    await handler.handle(exampleEvents['message.action']);
    expect(order).toEqual([1, 2]);
  });

  it('reports a known type without handler as not handled (and to onUnhandled)', async () => {
    const unhandled: WebhookEvent[] = [];
    const handler = createHandler({}, { onUnhandled: (event) => void unhandled.push(event) });
    await expect(handler.handle(exampleEvents['message.delivered'])).resolves.toEqual({ handled: false });
    expect(unhandled).toEqual([exampleEvents['message.delivered']]);
  });

  it('passes a handler’s rejection through (so the framework answers 500 and Inbox retries)', async () => {
    const handler = createHandler({ 'message.read': () => Promise.reject(new Error('database down')) });
    await expect(handler.handle(exampleEvents['message.read'])).rejects.toThrow('database down');
  });

  it('reports unknown events to onUnknown, or warns by default', async () => {
    const error = new WebhookVerificationError('unknown_event_type', 'new type', {
      payload: { id: 'evt_1', type: 'message.reacted' },
    });
    const reported: unknown[] = [];
    await createHandler({}, { onUnknown: (u) => void reported.push(u.payload) }).handleUnknown({
      payload: error.payload,
      error,
    });
    expect(reported).toEqual([{ id: 'evt_1', type: 'message.reacted' }]);

    const original = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => void warnings.push(...args);
    try {
      await createHandler().handleUnknown({ payload: error.payload, error });
    } finally {
      console.warn = original;
    }
    expect(warnings).toEqual([expect.stringContaining('id=evt_1 type=message.reacted')]);
  });

  it('refuses a key that is not an event type, or a handler that is not a function', () => {
    expect(() => createHandler({ 'message.reacted': () => undefined } as never)).toThrow(/not an event type/);
    expect(() => createHandler().on('message.read', 'nope' as never)).toThrow(/must be a function/);
  });

  it('only lets a type’s own fields type-check', () => {
    createHandler({
      'message.delivered': (event) => {
        // @ts-expect-error read_at exists only on message.read
        void event.data.read_at;
        void event.data.delivered_at;
      },
    });
    const event = exampleEvents['message.read'] as WebhookEvent;
    // @ts-expect-error not narrowed yet: data is a union
    void event.data.read_at;
    if (event.type === 'message.read') void event.data.read_at;
    expect(true).toBe(true);
  });
});
