import { generateSecret } from '@inbox/signing';
import { createHandler } from '../src/index.js';
import { constructEventFromRequest, inboxWebhookRoute, WebhookVerificationError } from '../src/web/index.js';
import { signedDelivery } from './support/fixtures.js';
import { captureConsole, refusedDeliveries, unknownTypeDelivery, type Delivery } from './support/receiver-cases.js';

const secret = generateSecret();
process.env.INBOX_WEBHOOK_SECRET = secret;
// The README's examples, imported as written.
const { POST } = await import('../examples/nextjs-route.js');
const { fetchHandler } = await import('../examples/web-request.js');
const store = await import('../examples/store.js');

function toRequest(delivery: Delivery): Request {
  return new Request('https://example.com/webhooks/inbox', {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
}

describe('README example: Next.js route handler (Web Crypto)', () => {
  it('verifies the Request, runs the typed handler, answers 200 JSON', async () => {
    const res = await POST(toRequest(signedDelivery({ secret, type: 'message.read' })));
    expect(res.status).toBe(200);
    await expect(res.json()).resolves.toEqual({ received: true, handled: true });
    expect(store.messages.get('msg_1234567890')).toEqual({ status: 'read', at: '2025-01-15T10:25:15Z' });
  });

  it.each(refusedDeliveries(secret))('refuses %s with 401 and its code', async (_what, make, code) => {
    const res = await POST(toRequest(make()));
    expect(res.status).toBe(401);
    await expect(res.json()).resolves.toEqual({ error: { code, message: expect.any(String) } });
  });

  it('acknowledges an authentic event of an unknown type', async () => {
    await captureConsole('warn', async () => {
      const res = await POST(toRequest(unknownTypeDelivery(secret)));
      expect(res.status).toBe(200);
      await expect(res.json()).resolves.toEqual({ received: true, handled: false });
    });
  });
});

describe('README example: a bare fetch handler', () => {
  it('answers 200 for a genuine request and 401 with the code otherwise', async () => {
    const logged = await captureConsole('log', async () => {
      expect((await fetchHandler(toRequest(signedDelivery({ secret, type: 'message.failed' })))).status).toBe(200);
    });
    expect(logged).toEqual(['message msg_1234567890 failed: Recipient has not installed the Inbox app']);
    const forged = await fetchHandler(toRequest(signedDelivery({ secret: generateSecret() })));
    expect(forged.status).toBe(401);
    await expect(forged.text()).resolves.toBe('invalid_signature');
  });
});

describe('constructEventFromRequest / inboxWebhookRoute', () => {
  it('says so when the body was already read', async () => {
    const request = toRequest(signedDelivery({ secret }));
    await request.text();
    await expect(constructEventFromRequest(request, secret)).rejects.toThrow(/already read/);
  });

  it('reports a missing secret as invalid_secret before reading the body', async () => {
    const request = toRequest(signedDelivery({ secret }));
    const error = await constructEventFromRequest(request, undefined as unknown as string).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toMatchObject({ code: 'invalid_secret' });
    expect(request.bodyUsed).toBe(false);
  });

  it('rejects when a handler throws (the runtime answers 500 and Inbox retries)', async () => {
    const route = inboxWebhookRoute({
      secret,
      handler: createHandler({ 'message.delivered': () => Promise.reject(new Error('queue down')) }),
    });
    await expect(route(toRequest(signedDelivery({ secret })))).rejects.toThrow('queue down');
  });

  it('needs a secret and a handler when set up', () => {
    expect(() => inboxWebhookRoute({ secret: '', handler: createHandler() })).toThrow(/secret is required/);
    expect(() => inboxWebhookRoute({ secret } as never)).toThrow(/handler is required/);
  });
});

describe('Web Crypto keys', () => {
  it('imports a secret’s keys once, however many requests it verifies', async () => {
    const fresh = generateSecret();
    const subtle = crypto.subtle;
    const original = subtle.importKey;
    let imports = 0;
    subtle.importKey = ((...args: Parameters<SubtleCrypto['importKey']>) => {
      imports++;
      return original.apply(subtle, args);
    }) as SubtleCrypto['importKey'];
    try {
      for (let i = 0; i < 3; i++) {
        const event = await constructEventFromRequest(toRequest(signedDelivery({ secret: fresh, type: 'message.read' })), fresh);
        expect(event.type).toBe('message.read');
      }
      expect(imports).toBe(2); // the Standard Webhooks key and the X-Inbox-Signature key
    } finally {
      subtle.importKey = original;
    }
  });
});
