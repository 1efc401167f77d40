import express from 'express';
import { inboxWebhook } from '@inbox/sdk/express';
import { once, setStatus } from './store.js';

export const app: express.Express = express();

// Your app already parses JSON globally? Keep the raw bytes for the webhook check:
app.use(
  express.json({
    verify: (req, _res, buf) => {
      (req as express.Request & { rawBody?: Buffer }).rawBody = buf;
    },
  }),
);

// Without a handler map, the middleware verifies and puts the typed event on req.inboxEvent.
app.post('/webhooks/inbox', inboxWebhook({ secret: process.env.INBOX_WEBHOOK_SECRET! }), async (req, res) => {
  const event = req.inboxEvent!;
  await once(event.id, () => {
    switch (event.type) {
      case 'message.delivered':
        return setStatus(event.data.message_id, 'delivered', event.data.delivered_at);
      case 'message.read':
        return setStatus(event.data.message_id, 'read', event.data.read_at);
      default:
        console.log('Unhandled event type:', event.type);
    }
  });
  res.status(200).send('OK');
});
