import { constructEvent, verifySignature } from '@inbox/sdk';
import { startReceiver, type ReceivedRequest, type Receiver } from '@inbox/testing';
import { closedPort, startPlatform, type Platform, type RunningCli } from './support/platform.js';

// `inbox listen` as a real process, against the built API and dispatcher as real processes: what
// it forwards arrives signed with the secret it printed, exactly as a real delivery would.
describe('inbox listen against the real platform', () => {
  let platform: Platform;
  let receiver: Receiver;
  let apiKey: string;
  let accountId: string;
  const listeners: RunningCli[] = [];
  /** Paths whose next answers are 500s, how many. */
  const failNext = new Map<string, number>();

  beforeAll(async () => {
    [platform, receiver] = await Promise.all([startPlatform('cli_listen', { INBOX_RETRY_SCHEDULE: '0,2s,2s,2s,2s,2s' }), startReceiver()]);
    receiver.setHandler((request) => {
      const left = failNext.get(request.path) ?? 0;
      if (left > 0) {
        failNext.set(request.path, left - 1);
        return { status: 500, body: 'local failure' };
      }
      return { status: 200, body: 'ok' };
    });
    ({ apiKey, id: accountId } = await platform.createAccount());
  }, 30_000);

  afterAll(async () => {
    await Promise.all(listeners.map((l) => l.stop('SIGKILL')));
    await receiver?.close();
    await platform?.close();
  });

  async function startListener(path: string, extra: string[] = []): Promise<{ cli: RunningCli; secret: string; sessionId: string }> {
    const cli = platform.spawnCli(['listen', '--forward-to', `${receiver.url}${path}`, ...extra], { apiKey });
    listeners.push(cli);
    const [, secret] = await cli.waitFor(/Ready! Your webhook signing secret is (whsec_\S+) \(\^C to quit\)/, { stream: 'stdout' });
    const [, sessionId] = await cli.waitFor(/Session (wh_\w+)/, { stream: 'stdout' });
    return { cli, secret: secret!, sessionId: sessionId! };
  }

  async function call<T>(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${platform.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async function ingest(type = 'message.read'): Promise<string> {
    const data = { message_id: 'msg_1234567890', to: '+15551234567', read_at: '2025-01-15T10:25:15Z', device_id: 'dev_abcdef123456' };
    const res = await call<{ id: string }>('POST', '/internal/v1/events', platform.env.INBOX_INTERNAL_TOKEN!, { account_id: accountId, type, data });
    expect(res.status).toBe(202);
    return res.body.id;
  }

  const arrivals = (path: string, eventId: string) => (r: ReceivedRequest) => r.path === path && r.headers['x-inbox-event-id'] === eventId;

  /** The request arrived at `path`, verified by the SDK with `secret` (both signatures). */
  async function expectVerified(path: string, eventId: string, secret: string, count = 1): Promise<ReceivedRequest[]> {
    const requests = await receiver.waitFor(count, { filter: arrivals(path, eventId), timeoutMs: 15_000 });
    for (const request of requests) {
      expect(constructEvent(request.body, request.headers as Record<string, string>, secret).id).toBe(eventId);
      expect(verifySignature(request.body, request.headers['x-inbox-signature'] as string, secret)).toBe(true);
    }
    return requests;
  }

  it('forwards an ingested and a triggered event, signed with the printed secret; a 500 shows and is retried', async () => {
    const { cli, secret } = await startListener('/a');

    const ingested = await ingest();
    await expectVerified('/a', ingested, secret);
    await cli.waitFor(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  message\\.read  ${ingested}  → 200 \\(\\d+ ms\\)$`, 'm'), { stream: 'stdout' });

    const triggered = await call<{ event_id: string; delivery_ids: string[] }>('POST', '/v1/webhooks/test', apiKey, { event_type: 'message.delivered' });
    expect(triggered.status).toBe(202);
    await expectVerified('/a', triggered.body.event_id, secret);
    await cli.waitFor(new RegExp(`message\\.delivered  ${triggered.body.event_id}  → 200`), { stream: 'stdout' });

    failNext.set('/a', 1);
    const failing = await ingest();
    const [first, second] = await expectVerified('/a', failing, secret, 2);
    expect(first!.headers['x-inbox-delivery-attempt']).toBe('1');
    expect(second!.headers['x-inbox-delivery-attempt']).toBe('2');
    expect(second!.body.equals(first!.body)).toBe(true);
    await cli.waitFor(new RegExp(`${failing}  → 500 \\(\\d+ ms\\)`), { stream: 'stdout' });
    await cli.waitFor(new RegExp(`${failing}  → 200 \\(\\d+ ms\\)  \\(attempt 2\\)`), { stream: 'stdout' });
    expect(cli.stdout).not.toContain('\u001b['); // no colour off a TTY
  }, 40_000);

  it('two listeners both receive; after one exits nothing more is attempted to its session', async () => {
    const a = listeners[0]!;
    const [, secretA] = /Ready! Your webhook signing secret is (whsec_\S+)/.exec(a.stdout)!;
    const b = await startListener('/b', ['--events', 'message.read,message.failed']);

    // B's first answer is a 500: its retry is due 2 s later, after B has gone.
    failNext.set('/b', 1);
    const both = await ingest();
    await expectVerified('/a', both, secretA!);
    await expectVerified('/b', both, b.secret);
    await b.cli.waitFor(new RegExp(`${both}  → 500`), { stream: 'stdout' });

    const ended = await b.cli.stop('SIGINT');
    expect(ended.code).toBe(0);

    const later = await ingest();
    await expectVerified('/a', later, secretA!);
    expect(receiver.requests.filter(arrivals('/b', later))).toHaveLength(0);

    // B's session: its log has the one attempt made while it listened; the retry ended unsent.
    const deadline = Date.now() + 10_000;
    let delivery: { webhook_id: string; status: string; attempts: number } | undefined;
    while (Date.now() < deadline) {
      const detail = await call<{ deliveries: Array<{ webhook_id: string; status: string; attempts: number }> }>('GET', `/v1/events/${both}`, apiKey);
      delivery = detail.body.deliveries.find((d) => d.webhook_id === b.sessionId);
      if (delivery?.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1 });
    const logs = await call<{ data: Array<{ event_id: string; status_code: number | null }> }>('GET', `/v1/webhooks/${b.sessionId}/logs`, apiKey);
    expect(logs.status).toBe(200);
    expect(logs.body.data).toEqual([expect.objectContaining({ event_id: both, status_code: 500 })]);
    const laterDetail = await call<{ deliveries: Array<{ webhook_id: string }> }>('GET', `/v1/events/${later}`, apiKey);
    expect(laterDetail.body.deliveries.map((d) => d.webhook_id)).not.toContain(b.sessionId);
    expect(receiver.requests.filter((r) => r.path === '/b')).toHaveLength(1);
  }, 40_000);

  it('exits with a clear message on a wrong key, a closed forward target shows as connection refused', async () => {
    const wrong = await platform.cli(['listen', '--forward-to', `${receiver.url}/x`], { apiKey: 'inbox_sk_wrong0000000000000000000000000000' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('Invalid API key: run `inbox login` or pass --api-key');

    const port = await closedPort();
    const closed = platform.spawnCli(['listen', '--forward-to', `http://127.0.0.1:${port}/hooks`, '--events', 'message.failed'], { apiKey });
    listeners.push(closed);
    await closed.waitFor(/Ready!/, { stream: 'stdout' });
    const triggered = await call<{ event_id: string }>('POST', '/v1/webhooks/test', apiKey, { event_type: 'message.failed' });
    expect(triggered.status).toBe(202);
    await closed.waitFor(new RegExp(`${triggered.body.event_id}  → connection refused: is your server listening on http://127.0.0.1:${port}\\?`), { stream: 'stdout' });
    expect((await closed.stop('SIGINT')).code).toBe(0);
  }, 30_000);
});
