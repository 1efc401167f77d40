import pg from 'pg';
import { randomBytes } from 'node:crypto';

const server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const urlFor = (name: string) => Object.assign(new URL(server), { pathname: `/${name}` }).toString();

/**
 * A database name of this test file's own (not created yet: `migrate` creates it) and its drop.
 * @inbox/testing's template clones can't serve here: that package builds on this one.
 */
export function scratchDatabase(label: string): { name: string; url: string; drop: () => Promise<void> } {
  const name = `inbox_test_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    name,
    url: urlFor(name),
    async drop() {
      const admin = new pg.Client({ connectionString: urlFor('postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
