/** Answers whose `Retry-After` the dispatcher honours: 429 Too Many Requests and 503 Service Unavailable. */
export const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

const DELAY_SECONDS = /^\d+$/;
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '\\d{2}:\\d{2}:\\d{2}';
/** The three HTTP-date forms a recipient must accept (RFC 9110 §5.6.7); all are GMT. */
const IMF_FIXDATE = new RegExp(`^${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT$`);
const RFC_850_DATE = new RegExp(`^${DAY}[a-z]{0,6}, \\d{2}-${MONTH}-\\d{2} ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} [ \\d]\\d ${TIME} \\d{4}$`);

/**
 * How long a `Retry-After` value asks the next request to wait, in ms after `now`: delay-seconds
 * (`120`) or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`; one in the past is 0). Null for
 * anything else — no header, several, a negative or fractional number, garbage — which is ignored.
 * Not bounded here: the retry schedule caps it (see `nextStep`).
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  // A number too long for a double is as good as forever (and capped later all the same).
  if (DELAY_SECONDS.test(text)) return Math.min(Number(text) * 1000, Number.MAX_SAFE_INTEGER);
  const date = IMF_FIXDATE.test(text) || RFC_850_DATE.test(text) ? Date.parse(text) : ASCTIME_DATE.test(text) ? Date.parse(`${text} GMT`) : NaN;
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
