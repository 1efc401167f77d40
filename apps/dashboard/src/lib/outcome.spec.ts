import { ValidationError } from '@inbox/sdk/web';
import { formErrors } from './form-errors';
import { attemptOutcome, statusCodeText, webhookStatus } from './outcome';
import { formatRate, statsSeries, summarizeStats } from './stats';

describe('attempt outcomes and webhook status', () => {
  it('labels an attempt by what became of it', () => {
    expect(attemptOutcome({ succeeded: true, delivery_status: 'succeeded' })).toEqual({ label: 'Succeeded', tone: 'success' });
    expect(attemptOutcome({ succeeded: false, delivery_status: 'pending' })).toEqual({ label: 'Retrying', tone: 'warning' });
    expect(attemptOutcome({ succeeded: false, delivery_status: 'failed' })).toEqual({ label: 'Failed', tone: 'danger' });
    expect(statusCodeText({ status_code: 503, error: null })).toBe('503');
    expect(statusCodeText({ status_code: null, error: 'timeout' })).toBe('Timed out');
    expect(statusCodeText({ status_code: null, error: 'brand_new_error' })).toBe('brand_new_error');
  });

  it("says why the platform disabled a webhook", () => {
    expect(webhookStatus({ status: 'enabled', disabled_reason: null }).label).toBe('Enabled');
    expect(webhookStatus({ status: 'disabled', disabled_reason: 'gone' })).toEqual({ label: 'Disabled: 410 Gone', tone: 'danger' });
    expect(webhookStatus({ status: 'disabled', disabled_reason: 'manual' })).toEqual({ label: 'Disabled', tone: 'neutral' });
  });
});

describe('stats for the charts', () => {
  const stats = {
    since: '2025-01-15T08:00:00.000Z',
    bucket_seconds: 3600 as const,
    totals: { attempts: 40, succeeded: 39 },
    buckets: [
      { start: '2025-01-15T08:00:00.000Z', attempts: 0, succeeded: 0, avg_ms: null, p50_ms: null, p95_ms: null },
      { start: '2025-01-15T09:00:00.000Z', attempts: 40, succeeded: 39, avg_ms: 120, p50_ms: 100, p95_ms: 400 },
    ],
  };

  it('summarizes the success rate and the slowest p95, and leaves empty hours as gaps', () => {
    expect(summarizeStats(stats)).toEqual({ attempts: 40, successRate: 39 / 40, worstP95Ms: 400 });
    expect(formatRate(39 / 40)).toBe('97.5%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(null)).toBe('—');
    expect(statsSeries(stats)).toEqual({ hours: [1736928000, 1736931600], successPercent: [null, 97.5], p50: [null, 100], p95: [null, 400] });
    expect(summarizeStats({ ...stats, totals: { attempts: 0, succeeded: 0 }, buckets: [stats.buckets[0]!] })).toEqual({ attempts: 0, successRate: null, worstP95Ms: null });
  });
});

describe('form errors from the API', () => {
  it("puts each detail under its field, and the rest on the form", () => {
    const error = new ValidationError({
      status: 422,
      code: 'validation_failed',
      message: 'The request body is invalid',
      details: [
        { path: 'url', message: 'url must use https' },
        { path: 'events.0', message: 'events.0 is not an event type' },
        { path: 'url', message: 'a second url message' },
        { path: 'color', message: 'color is not a field' },
      ],
    });
    expect(formErrors(error, ['url', 'events'])).toEqual({ fields: { url: 'url must use https', events: 'events.0 is not an event type' }, form: 'color is not a field' });
    expect(formErrors(new ValidationError({ status: 409, code: 'limit', message: 'Too many webhooks' }), ['url'])).toEqual({ fields: {}, form: 'Too many webhooks' });
  });
});
