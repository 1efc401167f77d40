/** How times and durations read in the dashboard. `locale`/`timeZone` default to the browser's. */
export interface TimeFormatOptions {
  locale?: string;
  timeZone?: string;
  /** What "this year" is measured from (ms). */
  now?: number;
}

/** `15 Jan, 10:25:03` in the viewer's locale and zone, with the year when it is not this one; `—` for none. */
export function formatDateTime(iso: string | null | undefined, { locale, timeZone, now = Date.now() }: TimeFormatOptions = {}): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  const year = (at: Date) => new Intl.DateTimeFormat('en', { year: 'numeric', timeZone }).format(at);
  return new Intl.DateTimeFormat(locale, {
    year: year(date) === year(new Date(now)) ? undefined : 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZone,
  }).format(date);
}

const UNITS: Array<[limitSeconds: number, divisor: number, unit: string]> = [
  [60, 1, 's'],
  [3600, 60, 'min'],
  [86_400, 3600, 'h'],
  [Infinity, 86_400, 'd'],
];

/** Compact and relative: `just now`, `12 s ago`, `3 min ago`, `in 30 s`, `2 d ago`. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const seconds = Math.round((at - now) / 1000);
  const size = Math.abs(seconds);
  if (size < 5) return 'just now';
  const [, divisor, unit] = UNITS.find(([limit]) => size < limit)!;
  const amount = Math.floor(size / divisor);
  return seconds < 0 ? `${amount} ${unit} ago` : `in ${amount} ${unit}`;
}

/** `182 ms`, `1.2 s`, `2 min 5 s`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** A `datetime-local` input's value (local time, minutes) for a moment, and back. */
export function toLocalInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function fromLocalInputValue(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
