import { formatDateTime, formatDuration, formatRelative, fromLocalInputValue, toLocalInputValue } from './time';

describe('time formatting', () => {
  it('formats absolute times in the given locale and zone, the year only when it is not this one, and nothing as a dash', () => {
    const now = Date.parse('2025-06-01T00:00:00Z');
    expect(formatDateTime('2025-01-15T10:25:03.120Z', { locale: 'en-GB', timeZone: 'UTC', now })).toBe('15 Jan, 10:25:03');
    expect(formatDateTime('2024-12-31T23:59:59Z', { locale: 'en-GB', timeZone: 'UTC', now })).toBe('31 Dec 2024, 23:59:59');
    expect(formatDateTime('2024-12-31T23:30:00Z', { locale: 'en-GB', timeZone: 'Asia/Tokyo', now })).toBe('1 Jan, 08:30:00');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a time')).toBe('—');
  });

  it('formats relative times compactly, past and future', () => {
    const now = Date.parse('2025-01-15T10:00:00Z');
    const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();
    expect(formatRelative(at(-2_000), now)).toBe('just now');
    expect(formatRelative(at(-12_000), now)).toBe('12 s ago');
    expect(formatRelative(at(-3 * 60_000 - 5_000), now)).toBe('3 min ago');
    expect(formatRelative(at(-2 * 3_600_000), now)).toBe('2 h ago');
    expect(formatRelative(at(-3 * 86_400_000), now)).toBe('3 d ago');
    expect(formatRelative(at(30_000), now)).toBe('in 30 s');
    expect(formatRelative(at(2 * 60_000), now)).toBe('in 2 min');
    expect(formatRelative(null, now)).toBe('—');
  });

  it('formats durations from milliseconds to minutes', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(182.4)).toBe('182 ms');
    expect(formatDuration(1_234)).toBe('1.2 s');
    expect(formatDuration(12_345)).toBe('12 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(null)).toBe('—');
  });

  it('round-trips a datetime-local value in local time', () => {
    const date = new Date(2025, 0, 15, 9, 5);
    expect(toLocalInputValue(date)).toBe('2025-01-15T09:05');
    expect(fromLocalInputValue('2025-01-15T09:05')?.getTime()).toBe(date.getTime());
    expect(fromLocalInputValue('')).toBeNull();
    expect(fromLocalInputValue('yesterday')).toBeNull();
  });
});
