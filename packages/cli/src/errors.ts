import {
  AuthenticationError,
  ConflictError,
  InboxApiError,
  InboxConnectionError,
  InboxTimeoutError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '@inbox/sdk';

/**
 * Exit codes scripts can rely on (documented in the README's table):
 *
 * | code | meaning                                                                    |
 * |------|----------------------------------------------------------------------------|
 * | 0    | success (and `logs --follow` / `listen` stopped with Ctrl-C)              |
 * | 1    | the API refused the request (validation, conflict, rate limit), or a bug   |
 * | 2    | usage: unknown command or flag, a missing or malformed argument            |
 * | 3    | authentication: no API key, or the platform rejected it (401/403)          |
 * | 4    | not found: no such webhook or event in this account                        |
 * | 5    | the platform is unreachable, timed out or failed (5xx)                     |
 */
export const ExitCode = {
  Ok: 0,
  Error: 1,
  Usage: 2,
  Auth: 3,
  NotFound: 4,
  Unavailable: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports as is: `message` (what went wrong), `hint` (what to do) and its exit code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Error,
    readonly hint?: string,
    /** Machine-readable reason for `--json` output. */
    readonly code = 'error',
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** A bad argument or flag: exit 2. */
export function usageError(message: string, hint?: string): CliError {
  return new CliError(message, ExitCode.Usage, hint, 'usage');
}

/** What the platform's address looks like in messages. */
export interface ErrorContext {
  apiUrl: string;
}

function connectionReason(error: Error): string {
  if (error instanceof InboxTimeoutError) return 'no answer in time';
  let cause: unknown = error.cause;
  // fetch wraps the socket error: TypeError('fetch failed', { cause: Error { code: 'ECONNREFUSED' } }).
  for (let depth = 0; depth < 4 && cause; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
    if (code === 'ECONNRESET') return 'connection reset';
    if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'connection timed out';
    if (typeof code === 'string' && code.startsWith('ERR_TLS') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT')
      return 'TLS failed';
    cause = (cause as { cause?: unknown }).cause;
  }
  return 'the request failed';
}

/** Turns anything thrown by a command into a `CliError` that says what to do next. */
export function toCliError(error: unknown, ctx: ErrorContext): CliError {
  if (error instanceof CliError) return error;
  const url = ctx.apiUrl;
  if (error instanceof InboxConnectionError) {
    return new CliError(
      `Cannot reach the Inbox platform at ${url} (${connectionReason(error)}).`,
      ExitCode.Unavailable,
      'Is it running? Start it with ./scripts/dev.sh or pass --api-url.',
      'unreachable',
    );
  }
  if (error instanceof InboxApiError) {
    const requestId = error.requestId;
    if (error instanceof AuthenticationError || error.status === 403) {
      return new CliError(
        error.status === 403 ? `The API key may not do this: ${error.message}` : 'Invalid API key: the platform rejected it.',
        ExitCode.Auth,
        `Check the key (dev.sh prints the demo key), then run \`inbox login\` or set INBOX_API_KEY. The platform is ${url}.`,
        error.code,
        requestId,
      );
    }
    if (error instanceof NotFoundError) {
      return new CliError(
        error.message,
        ExitCode.NotFound,
        'Check the id: `inbox webhooks list` shows your webhooks (ids from another account are not found either).',
        error.code,
        requestId,
      );
    }
    if (error instanceof ServerError) {
      return new CliError(
        `The Inbox platform at ${url} failed: ${error.message}`,
        ExitCode.Unavailable,
        'Try again in a moment; if it keeps failing, check the API logs' + (requestId ? ` for request ${requestId}.` : '.'),
        error.code,
        requestId,
      );
    }
    if (error instanceof ValidationError) {
      const details = (error.details ?? []).map((d) => `  ${d.path || '(body)'}: ${d.message}`).join('\n');
      return new CliError(details ? `${error.message}\n${details}` : error.message, ExitCode.Error, undefined, error.code, requestId);
    }
    if (error instanceof RateLimitError) {
      const wait = error.retryAfterSeconds === undefined ? 'a moment' : `${error.retryAfterSeconds} s`;
      return new CliError(`Rate limited: ${error.message}`, ExitCode.Error, `Try again in ${wait}.`, error.code, requestId);
    }
    if (error instanceof ConflictError) return new CliError(error.message, ExitCode.Error, undefined, error.code, requestId);
    return new CliError(error.message, ExitCode.Error, undefined, error.code, requestId);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(message, ExitCode.Error, 'This looks like a bug in the Inbox CLI; please report it.', 'internal');
}
