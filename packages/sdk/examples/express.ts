import express from 'express';
import { createHandler } from '@inbox/sdk';
import { inboxWebhook } from '@inbox/sdk/express';
import { once, setStatus } from './store.js';

// One function per event type; each gets that type's event, fully typed.
const handler = createHandler({
  'message.delivered': (event) =>
    once(event.id, () => setStatus(event.data.message_id, 'delivered', event.data.delivered_at)),
  'message.read': (event) => once(event.id, () => setStatus(event.data.message_id, 'read', event.data.read_at)),
  'message.failed': (event) =>
    once(event.id, () => setStatus(event.data.message_id, `failed: ${event.data.error_code}`, event.data.failed_at)),
});

export const app: express.Express = express();

// The webhook route reads the raw body itself, so register it before any global express.json().
app.post('/webhooks/inbox', inboxWebhook({ secret: process.env.INBOX_WEBHOOK_SECRET!, handler }));

app.use(express.json()); // the rest of your app
