/** A delivery as the platform streams it (`event: delivery`). */
export interface Delivery {
  request_id: string;
  session_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  headers: Record<string, string>;
  body: string;
  timeout_ms: number;
}

export type ForwardError = 'connection_refused' | 'connection_reset' | 'timeout' | 'network';

/** What the local server did with one delivery: what the CLI prints and reports back. */
export interface Forwarded {
  status_code: number | null;
  error: ForwardError | null;
  error_message: string | null;
  duration_ms: number;
  body: string | null;
}

/** How much of the local answer is reported (the platform's log keeps 1 KiB of it). */
const REPORTED_BODY_CHARS = 1024;
/** Time kept back from the platform's wait, so the report reaches it before it gives up. */
const REPORT_MARGIN_MS = 500;

/**
 * POSTs the delivery to `url` as the platform would: the exact body bytes and every header it
 * signed (nothing re-signed), no redirect followed, within the platform's wait less a margin.
 */
export async function forward(delivery: Delivery, url: string): Promise<Forwarded> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(Math.max(500, delivery.timeout_ms - REPORT_MARGIN_MS));
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: delivery.headers,
      body: Buffer.from(delivery.body, 'utf8'),
      redirect: 'manual',
      signal,
    });
    const text = await response.text().catch(() => '');
    return { status_code: response.status, error: null, error_message: null, duration_ms: elapsed(), body: storable(text, REPORTED_BODY_CHARS) };
  } catch (error) {
    const kind: ForwardError = signal.aborted ? 'timeout' : classify(error);
    return { status_code: null, error: kind, error_message: storable(messageOf(error), 500), duration_ms: elapsed(), body: null };
  }
}

/**
 * At most `max` characters of `text` the platform stores as they are: no NUL, and not cut inside a
 * surrogate pair (the API refuses unpaired surrogates, and the report would be lost).
 */
export function storable(text: string, max: number): string {
  let cut = text.replaceAll('\u0000', '').slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

function classify(error: unknown): ForwardError {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === 'ECONNREFUSED') return 'connection_refused';
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return 'connection_reset';
    if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return 'timeout';
    current = (current as { cause?: unknown }).cause;
  }
  return 'network';
}

function messageOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '' && !parts.includes(message)) parts.push(message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(': ') || String(error);
}
