import { generateSecret } from '@inbox/signing';
import type { WebhookVerificationErrorCode } from '../../src/index.js';
import { signedDelivery, without } from './fixtures.js';

// What every receiver helper (Express, NestJS, Web) must do with the same requests, so each spec
// states only how its framework is driven.

export type Delivery = ReturnType<typeof signedDelivery>;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Requests a receiver refuses with 401, each with the code it answers: an `it.each` table. */
export function refusedDeliveries(
  secret: string,
): Array<[what: string, make: () => Delivery, code: WebhookVerificationErrorCode]> {
  return [
    [
      'a tampered body',
      () => {
        const d = signedDelivery({ secret });
        return { ...d, body: d.body.replace('msg_', 'msg_x') };
      },
      'invalid_signature',
    ],
    ['the wrong secret', () => signedDelivery({ secret: generateSecret() }), 'invalid_signature'],
    ['a stale timestamp', () => signedDelivery({ secret, timestamp: nowSeconds() - 400 }), 'timestamp_too_old'],
    ['a future timestamp', () => signedDelivery({ secret, timestamp: nowSeconds() + 400 }), 'timestamp_too_new'],
    [
      'no signature headers',
      () => {
        const d = signedDelivery({ secret });
        return { ...d, headers: without(d.headers, 'webhook-signature', 'x-inbox-signature') };
      },
      'missing_header',
    ],
  ];
}

/** An authentic delivery of an event type this SDK does not know (one a newer platform sends). */
export function unknownTypeDelivery(secret: string, id = 'evt_future'): Delivery {
  const body = JSON.stringify({ id, type: 'message.reacted', created_at: '2025-01-15T10:25:15Z', data: {} });
  return signedDelivery({ secret, body });
}

/** Runs `run` with `console[method]` recording instead of printing; returns what was recorded. */
export async function captureConsole(method: 'log' | 'warn', run: () => Promise<void>): Promise<unknown[]> {
  const original = console[method];
  const recorded: unknown[] = [];
  console[method] = (...args: unknown[]) => void recorded.push(...args);
  try {
    await run();
  } finally {
    console[method] = original;
  }
  return recorded;
}
