import { EndpointHealth } from './endpoint-health.js';

const healthOf = () => new EndpointHealth({ slowMs: 1_000, timeoutPenaltyMs: 30_000, requestTimeoutMs: 10_000 });

describe('EndpointHealth', () => {
  it('is slow past slowMs in flight, expecting the longest of its average and that age', () => {
    const health = healthOf();
    health.record('wh', { durationMs: 3_000, timedOut: false });
    expect(health.slowRequestMs('wh', 1_000)).toBeNull();
    expect(health.slowRequestMs('wh', 1_500)).toBe(3_000);
    expect(health.slowRequestMs('wh', 4_000)).toBe(4_000);
  });

  it('is hanging after a timeout, expecting the delivery timeout, and keeps that past forget', () => {
    const health = healthOf();
    health.record('wh', { durationMs: 10_000, timedOut: true });
    health.forget('wh');
    expect(health.averageMs('wh')).toBe(0);
    expect(health.slowRequestMs('wh', 0)).toBe(10_000);
    expect(health.slowRequestMs('wh_ok', 0)).toBeNull();
  });

  it('averages durations, weighting the latest by 0.2', () => {
    const health = healthOf();
    health.record('wh', { durationMs: 100, timedOut: false });
    health.record('wh', { durationMs: 600, timedOut: false });
    expect(health.averageMs('wh')).toBe(200);
  });
});
