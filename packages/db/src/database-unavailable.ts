/** Socket errors on the way to Postgres: it is down, restarting, unreachable or its name does not resolve. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs that say "not now" rather than "this query is wrong": the server is shutting down,
 * crashed or starting (57P01/57P02/57P03), has no connection slot left (53300), or cancelled the
 * statement at statement_timeout (57014). Class 08 (connection exception) is matched as a class.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

/**
 * What pg and TypeORM say, without a code, when the connection fails: pg-pool's connect timeout,
 * a connection closed under a query, pg's query_timeout, a client whose connection already
 * failed, and a data source whose first connect has not succeeded yet (see DatabaseConnector).
 */
const UNAVAILABLE_MESSAGES = [
  /^timeout exceeded when trying to connect$/,
  /^Connection terminated/,
  /^Query read timeout$/,
  /is not queryable$/,
  /^Driver not Connected$/,
];

/** The error itself and what it wraps: TypeORM's `driverError`, `cause`, an AggregateError's errors. */
function* chain(error: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (typeof error !== 'object' || error === null || depth > 4) return;
  const e = error as Record<string, unknown>;
  yield e;
  yield* chain(e.driverError, depth + 1);
  yield* chain(e.cause, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* chain(inner, depth + 1);
}

/**
 * True when `error` means Postgres cannot answer right now (down, unreachable, overloaded, too
 * slow), so the caller should wait and try again; false for errors in what was asked of it
 * (syntax, constraints, bad input), which no retry cures.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of chain(error)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
  }
  return false;
}
