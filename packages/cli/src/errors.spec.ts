import { AuthenticationError, ConflictError, InboxConnectionError, InboxTimeoutError, NotFoundError, RateLimitError, ServerError, ValidationError } from '@inbox/sdk';
import { CliError, ExitCode, toCliError } from './errors.js';

const ctx = { apiUrl: 'http://localhost:3000' };
const init = (status: number, message = 'Nope') => ({ status, code: `c${status}`, message, requestId: 'req_1' });

describe('toCliError', () => {
  it('connection refused → exit 5, says how to start the platform', () => {
    const cause = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const error = toCliError(new InboxConnectionError('GET /v1/webhooks: fetch failed', { cause }), ctx);
    expect(error).toMatchObject({
      exitCode: ExitCode.Unavailable,
      message: 'Cannot reach the Inbox platform at http://localhost:3000 (connection refused).',
      hint: 'Is it running? Start it with ./scripts/dev.sh or pass --api-url.',
    });
    expect(toCliError(new InboxTimeoutError('slow'), ctx).message).toContain('(no answer in time)');
  });

  it.each([
    [new AuthenticationError(init(401)), ExitCode.Auth, /^Invalid API key/],
    [new NotFoundError(init(404, 'Webhook not found')), ExitCode.NotFound, /^Webhook not found$/],
    [new ServerError(init(503)), ExitCode.Unavailable, /failed: Nope/],
    [new ValidationError({ ...init(422, 'Invalid body'), details: [{ path: 'url', message: 'must be https' }] }), ExitCode.Error, /Invalid body\n {2}url: must be https/],
    [new ConflictError(init(409)), ExitCode.Error, /^Nope$/],
    [new RateLimitError({ ...init(429), retryAfterSeconds: 7 }), ExitCode.Error, /^Rate limited/],
  ])('%s → its exit code and message, with the request id', (error, exitCode, message) => {
    const mapped = toCliError(error, ctx);
    expect(mapped.exitCode).toBe(exitCode);
    expect(mapped.message).toMatch(message);
    expect(mapped.requestId).toBe('req_1');
  });

  it('a wrong key says how to fix it', () => {
    expect(toCliError(new AuthenticationError(init(401)), ctx).hint).toMatch(/inbox login.*INBOX_API_KEY/);
  });

  it('a CliError passes through; anything else is exit 1', () => {
    const own = new CliError('x', ExitCode.Usage);
    expect(toCliError(own, ctx)).toBe(own);
    expect(toCliError(new Error('boom'), ctx)).toMatchObject({ exitCode: 1, message: 'boom' });
  });
});
