import { idFloor } from '@inbox/db';
import type pg from 'pg';
import type { Harness } from '../harness.js';
import { BENCH_EVENT_TYPE } from '../payload.js';
import { distribution, now, round, type Distribution } from '../stats.js';
import { forEachConcurrently, subscribe } from '../workload.js';

export interface LogsResult {
  /** Attempts of the one webhook (and its events and deliveries) loaded before querying. */
  attempts: number;
  events: number;
  /** Days of history they span (requested_at). */
  days: number;
  loadSeconds: number;
  requests: number;
  concurrency: number;
  /** Each kind of query, request → parsed answer at the harness (undici), ms. */
  kinds: Array<{ kind: LogsQueryKind; ms: Distribution }>;
  /** Every timed request together. */
  ms: Distribution;
}

export type LogsQueryKind = 'first page' | 'status=failed' | 'cursor page' | 'one-day window' | 'event by id';
const KINDS: LogsQueryKind[] = ['first page', 'status=failed', 'cursor page', 'one-day window', 'event by id'];

const DAY_MS = 86_400_000;
/** Below INBOX_RETENTION's default (30 days), so the dispatcher's retention cleanup leaves it alone. */
const HISTORY_DAYS = 29;
/**
 * Per 10 deliveries: 8 succeed at once, 1 on its 3rd attempt (503, timeout, 200), 1 fails after 5
 * (500, 500, connection refused, timeout, 500): 16 attempts, a third of them failed deliveries'.
 */
const ATTEMPTS_PER_10_DELIVERIES = 16;
/** Attempt n's time after its event: the retry schedule's first steps (0, 30 s, 2 min, 10 min, 1 h). */
const RETRY_OFFSETS_MS = [0, 30_000, 150_000, 750_000, 4_350_000];

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** SQL for `expr` (a bigint ≥ 0) as `digits` Crockford base-32 digits, most significant first (ULID's alphabet). */
function base32(expr: string, digits: number): string {
  return Array.from(
    { length: digits },
    (_, i) => `substr('${CROCKFORD}', (((${expr}) >> ${5 * (digits - 1 - i)}) & 31)::int + 1, 1)`,
  ).join(' || ');
}

/**
 * SQL for an id as `newId(kind, time)` makes it, without its prefix: 10 digits of time, then 16
 * "random" digits (here the delivery number `k` and the attempt number, which make it unique).
 */
const idTail = (time: string, n = '0') => `${base32(time, 10)} || ${base32('k', 12)} || ${base32(n, 4)}`;

/**
 * One account's webhook with `attempts` attempts over 29 days, loaded with SQL (generate_series, with
 * the foreign-key triggers off for the load: a bulk load, not the code under test), then ANALYZE; then
 * the public logs API timed from the harness: first page, the failed filter, pages reached by
 * following `next_cursor` (from the newest and from the middle of the history), a one-day window, and
 * one event's detail.
 */
export async function runLogs(
  h: Harness,
  input: { attempts: number; requests: number; concurrency: number },
): Promise<LogsResult> {
  const sub = await subscribe(h, 'logs', [{ url: h.receiver.url('/logs'), events: [BENCH_EVENT_TYPE] }]);
  const webhookId = sub.webhookIds[0]!;
  const deliveries = Math.ceil((input.attempts * 10) / ATTEMPTS_PER_10_DELIVERIES);
  const endMs = Date.now() - 2 * 3_600_000;
  const startMs = endMs - HISTORY_DAYS * DAY_MS;

  const loadStarted = now();
  const loaded = await load(h, { accountId: sub.accountId, webhookId, deliveries, startMs, endMs });
  const loadSeconds = round((now() - loadStarted) / 1000, 1);
  h.log(`logs: ${loaded.attempts} attempts of ${deliveries} deliveries loaded and analyzed in ${loadSeconds} s`);

  const api = {
    logs: (query: Record<string, string> = {}) => h.api.webhookLogs(sub.apiKey, webhookId, query),
    event: (id: string) => h.api.event(sub.apiKey, id),
  };
  // Cursors as a client reaches them: following next_cursor from the newest page, and from the
  // middle of the history (a cursor is the base64url of the last id of a page).
  const midAttempt = await h.db.query<{ id: string }>(
    'SELECT id FROM attempts WHERE webhook_id = $1 AND id < $2 ORDER BY id DESC LIMIT 1',
    [webhookId, idFloor('attempt', (startMs + endMs) / 2)],
  );
  const cursorPages: Array<Record<string, string>> = [];
  const follow = async (query: Record<string, string>, pages: number) => {
    let page = await api.logs(query);
    for (let i = 0; i < pages && page.next_cursor; i++) {
      cursorPages.push({ ...query, cursor: page.next_cursor });
      page = await api.logs({ ...query, cursor: page.next_cursor });
    }
  };
  const midCursor = Buffer.from(midAttempt.rows[0]!.id, 'utf8').toString('base64url');
  await follow({}, 5);
  await follow({ cursor: midCursor }, 5);
  await follow({ status: 'failed', cursor: midCursor }, 3);
  const first = await api.logs();
  if (first.data.length === 0 || cursorPages.length === 0)
    throw new Error(
      `logs: the first page has ${first.data.length} attempts and ${cursorPages.length} further pages were reached`,
    );

  const eventIds: string[] = [];
  for (let i = 0; i < 20; i++) {
    const at = startMs + ((i + 0.5) / 20) * (endMs - startMs);
    const { rows } = await h.db.query<{ id: string }>(
      'SELECT id FROM events WHERE account_id = $1 AND id >= $2 ORDER BY id LIMIT 1',
      [sub.accountId, idFloor('event', at)],
    );
    if (rows[0]) eventIds.push(rows[0].id);
  }

  const timings = new Map<LogsQueryKind, number[]>(KINDS.map((k) => [k, []]));
  const requests = Array.from({ length: input.requests }, (_, i) => i);
  await forEachConcurrently(requests, input.concurrency, async (i) => {
    const kind = KINDS[i % KINDS.length]!;
    const round = Math.floor(i / KINDS.length);
    const started = now();
    switch (kind) {
      case 'first page':
        await api.logs();
        break;
      case 'status=failed':
        await api.logs({ status: 'failed' });
        break;
      case 'cursor page':
        await api.logs(cursorPages[round % cursorPages.length]!);
        break;
      case 'one-day window': {
        const since = endMs - (1 + (round % (HISTORY_DAYS - 1))) * DAY_MS;
        await api.logs({ since: new Date(since).toISOString(), until: new Date(since + DAY_MS).toISOString() });
        break;
      }
      case 'event by id': {
        const detail = await api.event(eventIds[round % eventIds.length]!);
        if (detail.deliveries.length !== 1)
          throw new Error(`logs: event ${detail.id} has ${detail.deliveries.length} deliveries, not 1`);
        break;
      }
    }
    timings.get(kind)!.push(now() - started);
  });

  return {
    attempts: loaded.attempts,
    events: deliveries,
    days: HISTORY_DAYS,
    loadSeconds,
    requests: input.requests,
    concurrency: input.concurrency,
    kinds: KINDS.map((kind) => ({ kind, ms: distribution(timings.get(kind)!) })),
    ms: distribution([...timings.values()].flat()),
  };
}

/**
 * Events, deliveries and attempts of one webhook in three INSERT … SELECT over generate_series:
 * delivery k's event at startMs + k × span / deliveries; its attempts per the 10-delivery pattern.
 * The events go in on one connection while the deliveries and attempts go in on the other (with the
 * foreign-key triggers off the order does not matter; with them on, the load runs in order).
 */
async function load(
  h: Harness,
  input: { accountId: string; webhookId: string; deliveries: number; startMs: number; endMs: number },
): Promise<{ attempts: number }> {
  const clients = [await h.db.connect(), await h.db.connect()] as const;
  let failed = false;
  try {
    // Superuser only (the bench's Postgres user is); without it the load checks every foreign key.
    const replica = await Promise.all(
      clients.map((c) =>
        c.query('SET session_replication_role = replica').then(
          () => true,
          () => false,
        ),
      ),
    );
    const parallel = replica.every(Boolean);
    // $1–$3 the series (start ms, span ms, deliveries), $4 the account, $5 the webhook.
    const params = [input.startMs, input.endMs - input.startMs, input.deliveries, input.accountId, input.webhookId];
    // s.k: delivery number; s.t: its event's time, epoch ms; s.tail: the id of its event and of the
    // delivery without their prefixes (both made at s.t).
    const series = `(SELECT k, t, ${idTail('t')} AS tail
                       FROM (SELECT k::bigint AS k, $1::bigint + (k::bigint * $2::bigint) / $3::bigint AS t FROM generate_series(0, $3::int - 1) k) g) s`;
    const ts = (ms: string) => `to_timestamp((${ms})::double precision / 1000)`;
    const iso = (ms: string) => `to_char(${ts(ms)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    const attemptsOf = `(CASE s.k % 10 WHEN 8 THEN 3 WHEN 9 THEN 5 ELSE 1 END)`;
    const offsets = `(ARRAY[${RETRY_OFFSETS_MS.join(',')}]::bigint[])`;
    const eventId = `'evt_' || s.tail`;
    const deliveryId = `'dlv_' || s.tail`;
    const timed = async (client: pg.PoolClient, what: string, sql: string, values: unknown[]) => {
      const started = now();
      const result = await client.query(sql, values);
      h.log(`logs: ${what} in ${((now() - started) / 1000).toFixed(1)} s`);
      return result;
    };

    const events = () =>
      timed(
        clients[0],
        'events',
        `INSERT INTO events (id, account_id, type, created_at, body, received_at)
       SELECT e.id, $4, '${BENCH_EVENT_TYPE}', ${ts('e.t')},
              '{"id":"' || e.id || '","type":"${BENCH_EVENT_TYPE}","created_at":"' || ${iso('e.t')} || '","data":{"message_id":"msg_logs' || e.k ||
              '","to":"+15551234567","action":"confirm","clicked_at":"' || ${iso('e.t')} || '"}}',
              ${ts('e.t')}
         FROM (SELECT s.k, s.t, ${eventId} AS id FROM ${series}) e`,
        params.slice(0, 4),
      );
    const deliveries = () =>
      timed(
        clients[1],
        'deliveries',
        `INSERT INTO deliveries (id, account_id, event_id, webhook_id, status, attempts, next_attempt_at, last_attempt_at, created_at, updated_at)
       SELECT ${deliveryId}, $4, ${eventId}, $5, CASE WHEN s.k % 10 = 9 THEN 'failed' ELSE 'succeeded' END, ${attemptsOf}, NULL,
              ${ts(`s.t + ${offsets}[${attemptsOf}]`)}, ${ts('s.t')}, ${ts(`s.t + ${offsets}[${attemptsOf}]`)}
         FROM ${series}`,
        params,
      );
    const attempts = () =>
      timed(
        clients[1],
        'attempts',
        `INSERT INTO attempts (id, account_id, delivery_id, webhook_id, event_id, event_type, attempt_number, requested_at, duration_ms,
                             status_code, error, error_message, response_body, succeeded)
       SELECT a.id, $4, a.delivery_id, $5, a.event_id, '${BENCH_EVENT_TYPE}', a.n, ${ts('a.at')},
              CASE a.o WHEN 'timeout' THEN 10000 WHEN 'refused' THEN 1 ELSE 20 + (a.k * 7 + a.n * 13) % 300 END,
              CASE a.o WHEN 'ok' THEN 200 WHEN '503' THEN 503 WHEN '500' THEN 500 END,
              CASE a.o WHEN 'timeout' THEN 'timeout' WHEN 'refused' THEN 'connection_refused' END,
              CASE a.o WHEN 'timeout' THEN 'no response within 10 s' WHEN 'refused' THEN 'connect ECONNREFUSED' END,
              CASE a.o WHEN 'ok' THEN 'ok' WHEN '503' THEN 'Service Unavailable' WHEN '500' THEN 'Internal Server Error' END,
              a.o = 'ok'
         FROM (SELECT s.k, n, s.t + ${offsets}[n] AS at, 'att_' || ${idTail(`s.t + ${offsets}[n]`, 'n')} AS id, ${deliveryId} AS delivery_id, ${eventId} AS event_id,
                      CASE WHEN s.k % 10 < 8 THEN 'ok'
                           WHEN s.k % 10 = 8 THEN (ARRAY['503', 'timeout', 'ok'])[n]
                           ELSE (ARRAY['500', '500', 'refused', 'timeout', '500'])[n] END AS o
                 FROM ${series} CROSS JOIN LATERAL generate_series(1, ${attemptsOf}) n) a`,
        params,
      );
    let inserted;
    if (parallel) {
      [, inserted] = await Promise.all([events(), deliveries().then(attempts)]);
    } else {
      await events();
      await deliveries();
      inserted = await attempts();
    }
    await Promise.all(clients.map((c) => c.query('RESET session_replication_role')));
    await timed(clients[0], 'analyze', 'ANALYZE events, deliveries, attempts', []);
    return { attempts: inserted.rowCount ?? 0 };
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // A connection that failed mid-load may still skip foreign keys: closed, not returned to the pool.
    for (const c of clients) c.release(failed);
  }
}
