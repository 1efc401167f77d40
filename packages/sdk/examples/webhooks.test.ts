// A unit test of the Express route above (jest and supertest): generateTestHeaders signs the payload
// as Inbox signs a delivery, so the route's real verification runs, with no Inbox account or mock.
import request from 'supertest';
import { generateTestHeaders } from '@inbox/sdk';
import { history, messages } from './store.js';

// Any whsec_ secret does for tests; set it where the app reads it, before the app is loaded.
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
process.env.INBOX_WEBHOOK_SECRET = secret;
const { app } = await import('./express.js');

const payload = JSON.stringify({
  id: 'evt_test_read_1',
  type: 'message.read',
  created_at: '2025-01-15T10:25:15Z',
  data: { message_id: 'msg_test_1', to: '+15551234567', read_at: '2025-01-15T10:25:15Z', device_id: 'dev_test_1' },
});

describe('POST /webhooks/inbox', () => {
  it('marks the message read, once however often Inbox delivers the event', async () => {
    const headers = await generateTestHeaders({ payload, secret });
    await request(app).post('/webhooks/inbox').set(headers).send(payload).expect(200);
    // A retry: the same bytes and event id, the next attempt number.
    const retry = await generateTestHeaders({ payload, secret, attempt: 2 });
    await request(app).post('/webhooks/inbox').set(retry).send(payload).expect(200);

    expect(messages.get('msg_test_1')).toEqual({ status: 'read', at: '2025-01-15T10:25:15Z' });
    expect(history.filter((change) => change.startsWith('msg_test_1 '))).toHaveLength(1);
  });

  it('refuses a request signed with another secret, or signed too long ago', async () => {
    const forged = await generateTestHeaders({ payload, secret: 'whsec_CXnCPA+ZvLBtWzr7iTiuDNRUmKiE0msvQFM9BefeTjs=' });
    await request(app).post('/webhooks/inbox').set(forged).send(payload).expect(401);
    const replayed = await generateTestHeaders({ payload, secret, timestamp: new Date(Date.now() - 10 * 60_000) });
    await request(app).post('/webhooks/inbox').set(replayed).send(payload).expect(401);
  });
});
