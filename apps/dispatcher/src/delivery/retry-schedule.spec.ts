import { DEFAULT_RETRY_SCHEDULE, loadDispatcherConfig } from '@inbox/server';
import { delayAfterFailure, honourRetryAfter, nextStep } from './retry-schedule.js';

const docsSchedule = loadDispatcherConfig({ INBOX_SECRET_KEY: Buffer.alloc(32, 1).toString('base64') }).retrySchedule;

describe('retry schedule (the docs table: 1 immediate, then 30s, 2m, 8m, 32m, 2h)', () => {
  it('the default config is the docs table', () => {
    expect(DEFAULT_RETRY_SCHEDULE).toBe('0,30s,2m,8m,32m,2h');
    expect(docsSchedule).toEqual([0, 30_000, 120_000, 480_000, 1_920_000, 7_200_000]);
  });

  it.each([
    [1, 30_000],
    [2, 120_000],
    [3, 480_000],
    [4, 1_920_000],
    [5, 7_200_000],
  ])('after failure %i, attempt n+1 is due schedule[n] = %i ms later', (failed, delay) => {
    expect(delayAfterFailure(docsSchedule, failed)).toBe(delay);
    expect(nextStep(docsSchedule, failed, false, 1_000)).toEqual({ status: 'pending', nextAttemptAt: new Date(1_000 + delay), retryDelayMs: delay });
  });

  it('adds up to the docs "Total Time" column: 2h 42m 30s before the 6th attempt', () => {
    const total = [1, 2, 3, 4, 5].reduce((sum, n) => sum + delayAfterFailure(docsSchedule, n)!, 0);
    expect(total).toBe((2 * 3600 + 42 * 60 + 30) * 1000);
  });

  it('fails the delivery after the 6th failed attempt, with nothing more scheduled', () => {
    expect(delayAfterFailure(docsSchedule, 6)).toBeUndefined();
    expect(nextStep(docsSchedule, 6, false, 1_000)).toEqual({ status: 'failed', nextAttemptAt: null, retryDelayMs: null });
  });

  it('succeeds on any attempt that got a 2xx', () => {
    for (const n of [1, 6]) expect(nextStep(docsSchedule, n, true, 1_000)).toEqual({ status: 'succeeded', nextAttemptAt: null, retryDelayMs: null });
  });
});

describe('Retry-After on a failed attempt: max(scheduled delay, Retry-After), capped at the longest step', () => {
  const twoHours = 7_200_000;

  it.each([
    ['shorter than the schedule: the schedule', 30_000, 5_000, 30_000],
    ['longer than the schedule: Retry-After', 30_000, 90_000, 90_000],
    ['past the longest step: the longest step', 30_000, 86_400_000, twoHours],
    ['absent: the schedule, exactly', 120_000, null, 120_000],
    ['zero (a date already past): the schedule', 30_000, 0, 30_000],
  ])('%s', (_label, scheduled, retryAfter, expected) => {
    expect(honourRetryAfter(docsSchedule, scheduled, retryAfter)).toBe(expected);
  });

  it('never shortens a step already longer than the cap would allow', () => {
    expect(honourRetryAfter([0, 1_000, 3_000], 3_000, 60_000)).toBe(3_000);
  });

  it('moves the next attempt and its BullMQ delay together, and still counts the attempt', () => {
    expect(nextStep(docsSchedule, 1, false, 1_000, 600_000)).toEqual({ status: 'pending', nextAttemptAt: new Date(601_000), retryDelayMs: 600_000 });
    expect(nextStep(docsSchedule, 1, false, 1_000, Number.MAX_SAFE_INTEGER)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date(1_000 + twoHours),
      retryDelayMs: twoHours,
    });
  });

  it('changes nothing after a success or the last attempt', () => {
    expect(nextStep(docsSchedule, 2, true, 1_000, 600_000)).toEqual({ status: 'succeeded', nextAttemptAt: null, retryDelayMs: null });
    expect(nextStep(docsSchedule, 6, false, 1_000, 600_000)).toEqual({ status: 'failed', nextAttemptAt: null, retryDelayMs: null });
  });
});
