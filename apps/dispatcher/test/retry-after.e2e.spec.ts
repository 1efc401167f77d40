import type { INestApplication } from '@nestjs/common';
import { startReceiver, type Receiver, type Reply } from '@inbox/testing';
import { waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';

/** A short schedule whose steps differ: attempt 2 is due 1 s after the first failure; the longest step is 3 s. */
const SCHEDULE = '0,1s,3s';

/**
 * `Retry-After` on a 429 or 503 pushes the next attempt to max(scheduled delay, Retry-After), never
 * past the schedule's longest step, and the attempt still counts. Four endpoints side by side, each
 * failing its first attempt once in its own way, then answering 200.
 */
describe('Retry-After (real Postgres, Redis and receiver)', () => {
  let world: TestWorld;
  let app: INestApplication;
  let receiver: Receiver;
  const deliveryOf = new Map<string, string>();

  const firstAnswers: Record<string, Reply> = {
    '/unavailable': { status: 503, headers: { 'retry-after': '2' }, body: 'back in 2 s' },
    '/too-many': { status: 429, headers: { 'retry-after': '2' } },
    '/a-day': { status: 503, headers: { 'retry-after': '86400' } },
    // Only 429 and 503 say when to come back: a 500's Retry-After is ignored.
    '/server-error': { status: 500, headers: { 'retry-after': '2' } },
  };

  beforeAll(async () => {
    world = await createTestWorld('dispatch_retry_after', { INBOX_RETRY_SCHEDULE: SCHEDULE });
    receiver = await startReceiver((request) =>
      request.headers['x-inbox-delivery-attempt'] === '1' ? firstAnswers[request.path]! : { status: 200, body: 'thanks' },
    );
    app = await startDispatcher(world);
    const account = await world.fixtures.account();
    // One event type per endpoint, so each sees only its own event.
    const types = ['message.delivered', 'message.read', 'message.failed', 'message.action'] as const;
    const paths = Object.keys(firstAnswers);
    for (const [i, path] of paths.entries()) await world.fixtures.webhook(account, `${receiver.url}${path}`, { events: [types[i]!] });
    for (const [i, path] of paths.entries()) {
      const { deliveryIds } = await world.fixtures.ingest(account, { type: types[i]!, data: { path } });
      deliveryOf.set(path, deliveryIds[0]!);
    }
    await world.enqueue([...deliveryOf.values()]);
    await waitFor('every delivery to succeed', async () => (await world.fixtures.countByStatus()).succeeded === paths.length, { timeoutMs: 15_000 });
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await world?.close();
  });

  /** ms between the endpoint's first and second request, after checking both attempts were recorded. */
  async function gap(path: string, firstStatus: number): Promise<number> {
    const log = await world.fixtures.attempts(deliveryOf.get(path)!);
    expect(log.map((a) => [a.attempt_number, a.status_code])).toEqual([
      [1, firstStatus],
      [2, 200],
    ]);
    const [first, second] = receiver.requests.filter((r) => r.path === path);
    expect(second!.headers['x-inbox-delivery-attempt']).toBe('2');
    return second!.receivedAt - first!.receivedAt;
  }

  it('a 503 with Retry-After: 2 waits at least 2 s where the schedule says 1 s', async () => {
    expect(await gap('/unavailable', 503)).toBeGreaterThanOrEqual(2_000);
    expect(await gap('/unavailable', 503)).toBeLessThan(3_500);
    expect((await world.fixtures.attempts(deliveryOf.get('/unavailable')!))[0]!.response_body).toBe('back in 2 s');
  });

  it('a 429 with Retry-After: 2 does too', async () => {
    const ms = await gap('/too-many', 429);
    expect(ms).toBeGreaterThanOrEqual(2_000);
    expect(ms).toBeLessThan(3_500);
  });

  it('a Retry-After of a day is capped at the longest step (3 s)', async () => {
    const ms = await gap('/a-day', 503);
    expect(ms).toBeGreaterThanOrEqual(3_000);
    expect(ms).toBeLessThan(5_000);
  });

  it("a 500's Retry-After changes nothing: the schedule's 1 s", async () => {
    const ms = await gap('/server-error', 500);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(2_000);
  });
});
