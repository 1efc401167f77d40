// The receiver a customer writes by following the public docs page (shared/spec/webhooks-docs.txt):
// its Express.js example and its `verifySignature`, pasted as they are printed there. Plain
// JavaScript on purpose, so nothing is "fixed" by a type checker. Around the pasted code, only:
// the ES-module scaffolding (`require`, `express`, `app`), the two handlers the docs leave to the
// reader, and the secret. The docs' Express example calls `verifySignature(payload, signature)`
// without one, while the docs' function takes it as a third argument and its "Usage" block passes
// `process.env.INBOX_WEBHOOK_SECRET`: a one-line binding supplies that default, so both pasted
// blocks stay exactly as printed.
import { createRequire } from 'node:module';
import express from 'express';

const require = createRequire(import.meta.url);

/** Starts the docs' receiver on 127.0.0.1; resolves with its URL, the events it handled, and close(). */
export async function startDocsReceiver(secret) {
  process.env.INBOX_WEBHOOK_SECRET = secret;
  const handled = [];
  const handleMessageDelivered = (data) => handled.push({ type: 'message.delivered', data });
  const handleMessageRead = (data) => handled.push({ type: 'message.read', data });
  const console = { log: (_label, type) => handled.push({ type }) };

  const docsVerifySignature = (() => {
  // ---- verbatim from the docs' "Signature Verification" section ----
  const crypto = require('crypto');

  function verifySignature(payload, signature, secret) {
    const expectedSignature = crypto
      .createHmac('sha256', secret)
      .update(payload, 'utf8')
      .digest('hex');
    
    const receivedSignature = signature.replace('sha256=', '');
    
    return crypto.timingSafeEqual(
      Buffer.from(expectedSignature, 'hex'),
      Buffer.from(receivedSignature, 'hex')
    );
  }
  // ---- end verbatim ----
  return verifySignature;
  })();
  // The docs' "Usage" block: the secret comes from INBOX_WEBHOOK_SECRET.
  const verifySignature = (payload, signature, secret = process.env.INBOX_WEBHOOK_SECRET) =>
    docsVerifySignature(payload, signature, secret);

  const app = express();

  // ---- the docs' "Express.js example", verbatim ----
  app.post('/webhooks/inbox', express.raw({type: 'application/json'}), (req, res) => {
    const signature = req.headers['x-inbox-signature'];
    const payload = req.body;
    
    // Verify signature (see security section)
    if (!verifySignature(payload, signature)) {
      return res.status(401).send('Unauthorized');
    }
    
    const event = JSON.parse(payload);
    
    // Handle the event
    switch (event.type) {
      case 'message.delivered':
        handleMessageDelivered(event.data);
        break;
      case 'message.read':
        handleMessageRead(event.data);
        break;
      default:
        console.log('Unhandled event type:', event.type);
    }
    
    res.status(200).send('OK');
  });
  // ---- end verbatim ----

  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  // A passive copy of every request as it arrived (headers, raw bytes), for the test's second verifier.
  const requests = [];
  server.on('request', (req) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => requests.push({ headers: req.headers, body: Buffer.concat(chunks) }));
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/webhooks/inbox`,
    handled,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
