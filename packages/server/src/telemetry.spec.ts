import { startTelemetry, stopTelemetry } from './telemetry.js';
import { inSpanFrom, traceparentOf } from './tracing.js';

describe('tracing off (no OTLP endpoint)', () => {
  it('starts nothing', async () => {
    await expect(startTelemetry('inbox-test', { OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).resolves.toBe(false);
    await expect(stopTelemetry()).resolves.toBeUndefined();
  });

  it('writes no traceparent, and a span from a job without one still runs its work', async () => {
    expect(traceparentOf()).toBeUndefined();
    await expect(inSpanFrom('job', undefined, { 'inbox.event_id': 'evt_1' }, async () => 'done')).resolves.toBe('done');
    await expect(inSpanFrom('job', `00-${'1'.repeat(32)}-${'a'.repeat(16)}-01`, {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
