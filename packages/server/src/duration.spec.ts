import { loadApiConfig, loadDispatcherConfig } from './config.js';
import { formatDuration, parseDuration } from './duration.js';

describe('formatDuration', () => {
  it('says a duration in its largest whole unit', () => {
    expect(['30d', '1d', '36h', '90s', '1500ms', '2m'].map((text) => formatDuration(parseDuration(text)!))).toEqual([
      '30 days',
      '1 day',
      '36 hours',
      '90 seconds',
      '1500 milliseconds',
      '2 minutes',
    ]);
  });
});

describe('INBOX_RETENTION and DATABASE_POOLER', () => {
  const env = { INBOX_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'), INBOX_INTERNAL_TOKEN: 'x'.repeat(16) };

  it('default to 30 days and no pooler, read by both apps', () => {
    for (const config of [loadApiConfig(env), loadDispatcherConfig(env)]) {
      expect(config).toMatchObject({ retentionMs: 30 * 86_400_000, databasePooler: 'none' });
    }
  });

  it('take seconds and pgbouncer, and refuse nonsense', () => {
    expect(loadDispatcherConfig({ ...env, INBOX_RETENTION: '3s', DATABASE_POOLER: 'pgbouncer' })).toMatchObject({ retentionMs: 3_000, databasePooler: 'pgbouncer' });
    expect(() => loadApiConfig({ ...env, INBOX_RETENTION: 'forever' })).toThrow(/INBOX_RETENTION/);
    expect(() => loadApiConfig({ ...env, INBOX_RETENTION: '0' })).toThrow(/INBOX_RETENTION must be at least 1s/);
    expect(() => loadApiConfig({ ...env, DATABASE_POOLER: 'pgpool' })).toThrow(/DATABASE_POOLER/);
  });
});
