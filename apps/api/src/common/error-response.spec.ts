import { ServiceUnavailableException } from '@nestjs/common';
import pg from 'pg';
import { createDataSource } from '@inbox/db';
import { microBatcher } from '@inbox/server';
import { createTestDatabase, freePort, startTcpProxy, type TcpProxy } from '@inbox/testing';
import { toErrorResponse } from './error-response.js';

/** What every "Postgres cannot answer now" gets: a 503 the caller can act on, not a bug report. */
const UNAVAILABLE = {
  status: 503,
  body: { error: { code: 'unavailable', message: 'The service is briefly unavailable; retry after 2 s' } },
  headers: { 'Retry-After': '2' },
  unexpected: false,
};

/** The error `work` fails with (and a failure of the test if it succeeds). */
function failureOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

/**
 * Real errors, provoked from a real Postgres (a database of this file's own) and from a TCP proxy
 * in front of it that refuses, resets or black-holes connections.
 */
describe('toErrorResponse for Postgres errors', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let proxy: TcpProxy;
  const clients: pg.Client[] = [];

  /** A connected client of the test database, through the proxy or not. */
  async function client(via?: TcpProxy): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: via ? via.via(db.url) : db.url });
    c.on('error', () => {}); // a killed connection also emits; the query's own error is the one under test
    clients.push(c);
    await c.connect();
    return c;
  }

  beforeAll(async () => {
    db = await createTestDatabase('error_response');
    proxy = await startTcpProxy(db.url);
  });

  afterEach(() => proxy.pass());

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await proxy?.close();
    await db?.drop();
  });

  describe('Postgres cannot answer now: 503 unavailable with Retry-After, logged as an outage', () => {
    it('a refused connection (Postgres stopped: ECONNREFUSED)', async () => {
      const nobody = `postgres://postgres@127.0.0.1:${await freePort()}/inbox`;
      const error = await failureOf(new pg.Client({ connectionString: nobody }).connect());
      expect(error).toMatchObject({ code: 'ECONNREFUSED' });
      expect(toErrorResponse(error)).toMatchObject({ ...UNAVAILABLE, outage: expect.stringContaining('ECONNREFUSED') });
    });

    it('a connection reset under a query (ECONNRESET), and the next query on that dead client', async () => {
      const c = await client(proxy);
      const running = failureOf(c.query('SELECT pg_sleep(5)'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await proxy.down();
      const reset = await running;
      expect(reset).toMatchObject({ code: 'ECONNRESET' });
      const after = await failureOf(c.query('SELECT 1'));
      expect(after).toMatchObject({ message: expect.stringMatching(/Connection terminated|not queryable/) });
      expect(toErrorResponse(reset)).toMatchObject(UNAVAILABLE);
      expect(toErrorResponse(after)).toMatchObject(UNAVAILABLE);
    });

    it('a connect that never completes (a black hole), and a wait for a free pool connection past the connect timeout', async () => {
      proxy.stall();
      const stalled = new pg.Pool({ connectionString: proxy.via(db.url), connectionTimeoutMillis: 200 });
      stalled.on('error', () => {}); // the database's drop may reach a socket still closing
      const blackHole = await failureOf(stalled.query('SELECT 1'));
      expect(blackHole).toMatchObject({ message: 'Connection terminated due to connection timeout' });
      await stalled.end();

      const full = new pg.Pool({ connectionString: db.url, max: 1, connectionTimeoutMillis: 200 });
      full.on('error', () => {});
      const held = await full.connect();
      const noSlot = await failureOf(full.query('SELECT 1'));
      held.release();
      await full.end();
      expect(noSlot).toMatchObject({ message: 'timeout exceeded when trying to connect' });

      expect(toErrorResponse(blackHole)).toMatchObject(UNAVAILABLE);
      expect(toErrorResponse(noSlot)).toMatchObject(UNAVAILABLE);
    });

    it("a statement cancelled at the data source's statement_timeout (57014), as TypeORM wraps it (QueryFailedError)", async () => {
      const dataSource = createDataSource(db.url, 1, { connectMs: 2_000, statementMs: 100 });
      await dataSource.initialize();
      try {
        const error = await failureOf(dataSource.query('SELECT pg_sleep(2)'));
        expect(error).toMatchObject({ name: 'QueryFailedError', driverError: { code: '57014' } });
        expect(toErrorResponse(error)).toMatchObject(UNAVAILABLE);
      } finally {
        await dataSource.destroy();
      }
    });

    it("a link that stalls under a query: the data source's query_timeout gives up client side", async () => {
      const dataSource = createDataSource(proxy.via(db.url), 1, { connectMs: 2_000, statementMs: 100 });
      await dataSource.initialize();
      try {
        proxy.stall();
        const started = Date.now();
        const error = await failureOf(dataSource.query('SELECT 1'));
        expect(error).toMatchObject({ name: 'QueryFailedError', message: 'Query read timeout' });
        expect(Date.now() - started).toBeLessThan(5_000); // statement timeout + 1 s, loosely
        expect(toErrorResponse(error)).toMatchObject(UNAVAILABLE);
      } finally {
        await proxy.pass();
        await dataSource.destroy();
      }
    });

    it('a session ended by an administrator or a restart (57P01)', async () => {
      const victim = await client();
      const admin = await client();
      const { rows } = await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const running = failureOf(victim.query('SELECT pg_sleep(5)'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      const error = await running;
      expect(error).toMatchObject({ code: '57P01' });
      expect(toErrorResponse(error)).toMatchObject(UNAVAILABLE);
    });

    it('the other "not now" SQLSTATEs: connection exceptions (class 08), crash shutdown, starting up, too many connections', () => {
      // Not provoked (that takes stopping or filling the shared server): pg's own error class with each code.
      for (const code of ['08006', '08001', '57P02', '57P03', '53300']) {
        const error = Object.assign(new pg.DatabaseError(`server says ${code}`, 0, 'error'), { code });
        expect(toErrorResponse(error)).toMatchObject(UNAVAILABLE);
      }
    });

    it('a data source whose first connect has not succeeded yet (the app started while Postgres was down)', async () => {
      const error = await failureOf(createDataSource(db.url).query('SELECT 1'));
      expect(error).toMatchObject({ message: 'Driver not Connected' });
      expect(toErrorResponse(error)).toMatchObject(UNAVAILABLE);
    });

    it('a micro-batcher whose line is full (OverloadedError)', async () => {
      const stuck = microBatcher<number, number>(() => new Promise(() => {}), { maxInFlight: 1, maxWaiting: 1 });
      void stuck.load(1);
      await new Promise((resolve) => setImmediate(resolve));
      void stuck.load(2);
      const error = await failureOf(stuck.load(3));
      expect(toErrorResponse(error)).toMatchObject({ ...UNAVAILABLE, outage: expect.stringContaining('overloaded') });
    });
  });

  it("readiness finding a dependency down (terminus' ServiceUnavailableException) is unavailable too, not our fault", () => {
    const error = new ServiceUnavailableException({ status: 'error', error: { postgres: { status: 'down' } } });
    expect(toErrorResponse(error)).toMatchObject({ ...UNAVAILABLE, outage: expect.stringContaining('not ready') });
  });

  describe('anything else keeps its answer', () => {
    it('a wrong query or a broken constraint is our bug: 500 internal_error, logged with its stack', async () => {
      const dataSource = createDataSource(db.url, 1);
      await dataSource.initialize();
      try {
        const syntax = await failureOf(dataSource.query('SELEC 1'));
        const duplicate = await failureOf(dataSource.query('CREATE TEMP TABLE once (id int PRIMARY KEY); INSERT INTO once VALUES (1), (1)'));
        expect(syntax).toMatchObject({ driverError: { code: '42601' } });
        expect(duplicate).toMatchObject({ driverError: { code: '23505' } });
        for (const error of [syntax, duplicate, new Error('connection to the mainframe lost')]) {
          const answer = toErrorResponse(error);
          expect(answer).toMatchObject({ status: 500, body: { error: { code: 'internal_error' } }, unexpected: true });
          expect(answer.outage).toBeUndefined();
        }
      } finally {
        await dataSource.destroy();
      }
    });
  });
});
