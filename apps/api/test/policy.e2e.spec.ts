import { Redis } from 'ioredis';
import { queuePrefix } from '@inbox/server';
import { createAccount, createWebhook, rowCounts, startApi, type Harness, type TestAccount } from './support/harness.js';

/** Production switches: https only, no private addresses, a small webhook cap and rate limit. */
describe('production URL policy, webhook cap and rate limit', () => {
  let h: Harness;
  let account: TestAccount;
  const PUBLIC_URL = 'https://93.184.216.34/hook';

  beforeAll(async () => {
    h = await startApi('api_policy', {
      INBOX_ALLOW_HTTP: 'false',
      INBOX_ALLOW_PRIVATE_URLS: 'false',
      INBOX_MAX_WEBHOOKS_PER_ACCOUNT: '3',
      INBOX_RATE_LIMIT_PER_MINUTE: '30',
    });
    account = await createAccount(h);
  });

  afterAll(async () => {
    await h?.close();
  });

  describe('webhook URLs', () => {
    it.each([
      ['http://93.184.216.34/hook', 'https_required'],
      ['https://127.0.0.1/hook', 'private_address'],
      ['https://localhost/hook', 'private_address'],
      ['https://10.0.0.8/hook', 'private_address'],
      ['https://192.168.1.20:8443/hook', 'private_address'],
      ['https://172.16.5.4/hook', 'private_address'],
      ['https://169.254.169.254/latest/meta-data', 'private_address'],
      ['https://[::1]/hook', 'private_address'],
      ['https://[fd00:ec2::254]/hook', 'private_address'],
      ['https://[fe80::1]/hook', 'private_address'],
      ['https://[::ffff:127.0.0.1]/hook', 'private_address'],
      ['https://[::ffff:a9fe:a9fe]/hook', 'private_address'],
      ['https://0.0.0.0/hook', 'private_address'],
      ['https://2130706433/hook', 'private_address'],
      ['https://no-such-host.invalid/hook', 'unresolvable_host'],
    ])('refuses %s (%s) with 422, on create and on update', async (url, code) => {
      const before = await rowCounts(h);
      const res = await h.http().post('/v1/webhooks').set(account.auth).send({ url, events: ['message.read'] }).expect(422);
      expect(res.body.error).toMatchObject({ code, details: [{ path: 'url', message: expect.any(String) }] });
      expect(await rowCounts(h)).toEqual(before);
    });

    it('accepts a public address, and refuses to move it to a private one', async () => {
      const webhook = await createWebhook(h, account, { url: PUBLIC_URL, events: ['message.read'] });
      const res = await h.http().put(`/v1/webhooks/${webhook.id}`).set(account.auth).send({ url: 'https://169.254.169.254/', events: ['message.read'] }).expect(422);
      expect(res.body.error.code).toBe('private_address');
      const { rows } = await h.sql.query('SELECT url FROM webhooks WHERE id = $1', [webhook.id]);
      expect(rows[0].url).toBe(PUBLIC_URL);
      await h.http().delete(`/v1/webhooks/${webhook.id}`).set(account.auth).expect(204);
    });
  });

  describe('webhooks per account', () => {
    it('refuses the webhook past the cap with 409 webhook_limit_reached; deleting one frees a slot', async () => {
      const capped = await createAccount(h, 'Capped');
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await createWebhook(h, capped, { url: PUBLIC_URL, events: ['message.read'] })).id);
      const before = await rowCounts(h);
      const res = await h.http().post('/v1/webhooks').set(capped.auth).send({ url: PUBLIC_URL, events: ['message.read'] }).expect(409);
      expect(res.body.error.code).toBe('webhook_limit_reached');
      expect(await rowCounts(h)).toEqual(before);
      await h.http().delete(`/v1/webhooks/${ids[0]}`).set(capped.auth).expect(204);
      await h.http().post('/v1/webhooks').set(capped.auth).send({ url: PUBLIC_URL, events: ['message.read'] }).expect(201);
    });

    it('holds the cap under concurrent creates', async () => {
      const racer = await createAccount(h, 'Racer');
      const results = await Promise.all(
        Array.from({ length: 8 }, () => h.http().post('/v1/webhooks').set(racer.auth).send({ url: PUBLIC_URL, events: ['message.read'] })),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(3);
      expect(results.filter((r) => r.status === 409)).toHaveLength(5);
      const { rows } = await h.sql.query('SELECT count(*)::int AS n FROM webhooks WHERE account_id = $1', [racer.id]);
      expect(rows[0].n).toBe(3);
    });
  });

  describe('rate limit', () => {
    it('answers 429 with Retry-After past the per-key budget, counting per key in Redis', async () => {
      const busy = await createAccount(h, 'Busy');
      const calm = await createAccount(h, 'Calm');
      const statuses: number[] = [];
      let limited: { headers: Record<string, string>; body: { error: { code: string } } } | undefined;
      for (let i = 0; i < 32; i++) {
        const res = await h.http().get('/v1/webhooks').set(busy.auth);
        statuses.push(res.status);
        if (res.status === 429) limited = res;
      }
      // A window boundary may fall inside the loop and reset the count once; at most 30 per window.
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(60);
      expect(limited!.body.error.code).toBe('rate_limited');
      const retryAfter = Number(limited!.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Another key has its own budget.
      await h.http().get('/v1/webhooks').set(calm.auth).expect(200);
      const redis = new Redis(h.config.redisUrl);
      try {
        const keys = await redis.keys(`${queuePrefix(h.config)}:ratelimit:*`);
        expect(keys.length).toBeGreaterThanOrEqual(2);
      } finally {
        redis.disconnect();
      }
    });
  });
});
