import { CliError, ExitCode, usageError } from '../errors.js';
import type { Output } from '../output.js';
import { forward, type Delivery, type Forwarded } from './forward.js';
import { SseParser } from './sse.js';

export interface ListenOptions {
  apiUrl: string;
  apiKey: string;
  forwardTo: string;
  events?: string[];
  webhookId?: string;
  output: Output;
  /** Aborted by Ctrl-C: the stream closes (the session ends) and `listen` returns. */
  signal: AbortSignal;
}

/** The platform's `session` event. */
interface Session {
  id: string;
  secret: string;
  events: string[];
}

/** No byte from the platform for this long (it sends a comment every 15 s): the stream is dead. */
const SILENCE_MS = 45_000;
/** Reconnect delays after the stream dropped; past the last, `listen` gives up (exit 5). */
const RECONNECT_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 30_000];

/** Why a stream ended: the platform dropped it (reconnect) or Ctrl-C (stop). */
class StreamDropped extends Error {}

/**
 * Runs `inbox listen` until Ctrl-C: opens the session stream, forwards each delivery to the local
 * URL, reports each answer, and opens a new session (with a new secret, printed again) when the
 * platform drops the stream. A first connection that fails, or a dropped one that cannot be opened
 * again after a few minutes of trying, ends it with a `CliError`.
 */
export async function listen(options: ListenOptions): Promise<void> {
  let connected = false;
  let failures = 0;
  let session: Session | undefined;
  options.signal.addEventListener('abort', () => void (session && endSession(options, session.id)), { once: true });
  while (!options.signal.aborted) {
    try {
      await stream(options, (opened) => {
        session = opened;
        connected = true;
        failures = 0;
      });
    } catch (error) {
      if (options.signal.aborted) return;
      if (error instanceof CliError) throw error;
      if (!connected) throw unreachable(options.apiUrl, error);
      const delay = RECONNECT_DELAYS_MS[failures++];
      if (delay === undefined) throw unreachable(options.apiUrl, error);
      options.output.note(`Lost the connection to the platform (${reason(error)}); reconnecting in ${delay / 1000} s…`);
      await sleep(delay, options.signal);
    }
  }
  // Ctrl-C: the session is ended before listen returns, so nothing more is sent to it.
  if (session) await endSession(options, session.id);
}

/** `DELETE /v1/listen/{id}`: ends the session at once (closing the stream would, a moment later). Once per session. */
const ending = new Map<string, Promise<void>>();
function endSession(options: ListenOptions, id: string): Promise<void> {
  let done = ending.get(id);
  if (!done) {
    done = fetch(`${options.apiUrl.replace(/\/+$/, '')}/v1/listen/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${options.apiKey}` },
      signal: AbortSignal.timeout(3_000),
    }).then(
      () => undefined,
      () => undefined,
    );
    ending.set(id, done);
  }
  return done;
}

/** One session: resolves only on Ctrl-C; throws when the stream could not be opened or dropped. */
async function stream(options: ListenOptions, onOpen: (session: Session) => void): Promise<void> {
  const { output } = options;
  const query = new URLSearchParams();
  if (options.events) query.set('events', options.events.join(','));
  if (options.webhookId) query.set('webhook_id', options.webhookId);
  const url = `${options.apiUrl.replace(/\/+$/, '')}/v1/listen${query.size > 0 ? `?${query}` : ''}`;
  const dropped = new AbortController();
  const signal = AbortSignal.any([options.signal, dropped.signal]);
  const response = await fetch(url, { headers: { authorization: `Bearer ${options.apiKey}`, accept: 'text/event-stream' }, signal });
  if (!response.ok || !response.body) throw await refusal(response, options.apiUrl);

  let silence = setTimeout(() => dropped.abort(new StreamDropped('no heartbeat')), SILENCE_MS);
  const parser = new SseParser();
  const decoder = new TextDecoder();
  let session: Session | undefined;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      clearTimeout(silence);
      silence = setTimeout(() => dropped.abort(new StreamDropped('no heartbeat')), SILENCE_MS);
      for (const event of parser.push(decoder.decode(chunk, { stream: true }))) {
        if (event.event === 'session') {
          session = JSON.parse(event.data) as Session;
          onOpen(session);
          ready(output, session);
        } else if (event.event === 'delivery' && session) {
          void handle(options, session, JSON.parse(event.data) as Delivery);
        }
      }
    }
  } catch (error) {
    if (options.signal.aborted) return;
    throw dropped.signal.aborted ? dropped.signal.reason : error;
  } finally {
    clearTimeout(silence);
  }
  if (options.signal.aborted) return;
  throw new StreamDropped('the platform closed the stream');
}

function ready(output: Output, session: Session): void {
  const c = output.colors;
  output.result({ type: 'ready', session_id: session.id, secret: session.secret, events: session.events }, () => {
    output.line(`${c.green('Ready!')} Your webhook signing secret is ${c.bold(session.secret)} (^C to quit)`);
    output.line(c.dim(`Session ${session.id}, events: ${session.events.join(', ')}`));
  });
}

/** Forwards one delivery, prints its line, reports the answer (a failed report is only noted: the platform times it out and retries). */
async function handle(options: ListenOptions, session: Session, delivery: Delivery): Promise<void> {
  const result = await forward(delivery, options.forwardTo);
  print(options, delivery, result);
  try {
    const response = await fetch(`${options.apiUrl.replace(/\/+$/, '')}/v1/listen/${encodeURIComponent(session.id)}/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: delivery.request_id, ...result }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok && response.status !== 404) options.output.note(`Could not report the answer to ${delivery.event_id} (HTTP ${response.status}); the platform will retry it.`);
  } catch (error) {
    if (!options.signal.aborted) options.output.note(`Could not report the answer to ${delivery.event_id} (${reason(error)}); the platform will retry it.`);
  }
}

function print(options: ListenOptions, delivery: Delivery, result: Forwarded): void {
  const { output } = options;
  const time = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  output.result(
    { type: 'delivery', time, event_type: delivery.event_type, event_id: delivery.event_id, attempt: delivery.attempt, ...result },
    () => {
      const c = output.colors;
      const retry = delivery.attempt > 1 ? c.dim(`  (attempt ${delivery.attempt})`) : '';
      let outcome: string;
      if (result.status_code !== null) {
        const ok = result.status_code >= 200 && result.status_code < 300;
        outcome = `${(ok ? c.green : c.red)(`→ ${result.status_code}`)} (${result.duration_ms} ms)`;
      } else if (result.error === 'connection_refused') {
        outcome = c.red(`→ connection refused: is your server listening on ${new URL(options.forwardTo).origin}?`);
      } else if (result.error === 'timeout') {
        outcome = c.red(`→ timed out after ${result.duration_ms} ms`);
      } else {
        outcome = c.red(`→ ${result.error}: ${result.error_message ?? ''}`.trimEnd());
      }
      output.line(`${time}  ${delivery.event_type}  ${delivery.event_id}  ${outcome}${retry}`);
    },
  );
}

/** The platform refused the stream: what to do about it. */
async function refusal(response: Response, apiUrl: string): Promise<Error> {
  let body: { error?: { code?: string; message?: string; details?: Array<{ path?: string; message?: string }> } } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // not our error shape (a proxy's page): the status says enough
  }
  const message = body.error?.message ?? `HTTP ${response.status}`;
  const details = (body.error?.details ?? []).map((d) => `  ${d.path || '(query)'}: ${d.message}`).join('\n');
  const code = body.error?.code ?? 'error';
  if (response.status === 401 || response.status === 403) {
    return new CliError('Invalid API key: run `inbox login` or pass --api-key.', ExitCode.Auth, `The platform at ${apiUrl} rejected it (${message}).`, code);
  }
  if (response.status === 404) return new CliError(message, ExitCode.NotFound, 'Check --webhook: `inbox webhooks list` shows your webhooks.', code);
  if (response.status === 400 || response.status === 422) return usageError(details ? `${message}\n${details}` : message);
  if (response.status === 409 || response.status === 429) return new CliError(message, ExitCode.Error, undefined, code);
  // 5xx, 503 while Redis is away: worth another try.
  return new StreamDropped(`HTTP ${response.status}: ${message}`);
}

function unreachable(apiUrl: string, error: unknown): CliError {
  return new CliError(
    `Cannot reach the Inbox platform at ${apiUrl} (${reason(error)}).`,
    ExitCode.Unavailable,
    'Is it running? Start it with ./scripts/dev.sh or pass --api-url.',
    'unreachable',
  );
}

function reason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
