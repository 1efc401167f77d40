import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { databaseUrl, withAdmin } from '@inbox/testing';
import pg from 'pg';

// The Job's and compose's `node migrate.mjs`, run for real against a database it must create.
const script = join(dirname(fileURLToPath(import.meta.url)), '../docker/migrate.mjs');
const run = (env: Record<string, string>) =>
  promisify(execFile)(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 });

async function publicTables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    return result.rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

describe('docker/migrate.mjs', () => {
  const name = `inbox_test_infra_migrate_${process.pid}_${randomBytes(4).toString('hex')}`;
  afterAll(() => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));

  it('creates the database, applies the migrations, then finds nothing left to do', async () => {
    const first = await run({ DATABASE_URL: databaseUrl(name) });
    expect(first.stdout).toContain(`created database ${name}`);
    expect(first.stdout).toMatch(/applied InitialSchema\d+/);
    expect(await publicTables(databaseUrl(name))).toEqual(
      expect.arrayContaining(['accounts', 'webhooks', 'events', 'deliveries', 'attempts']),
    );
    const second = await run({ DATABASE_URL: databaseUrl(name) });
    expect(second.stdout).toContain('database is up to date');
  }, 30_000); // two cold Node processes loading TypeORM: seconds each on a busy 2-core machine

  it('exits non-zero with a clear message when DATABASE_URL is missing', async () => {
    await expect(run({})).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('DATABASE_URL is required'),
    });
  });
});
