// app/webhooks/inbox/route.ts — a Next.js route handler. Web Crypto only, so it also runs on the
// edge runtime, in Bun, Deno and Cloudflare Workers (any `(Request) => Response` server).
import { createHandler, inboxWebhookRoute } from '@inbox/sdk/web';
import { once, setStatus } from './store.js';

const handler = createHandler({
  'message.read': (event) => once(event.id, () => setStatus(event.data.message_id, 'read', event.data.read_at)),
});

export const POST = inboxWebhookRoute({ secret: process.env.INBOX_WEBHOOK_SECRET!, handler });
