import type pg from 'pg';

/** Per table, `<row count>:<sum of its rows' hashes>`. */
export type TableChecksums = Record<string, string>;

/**
 * A function computing a cheap checksum of every table of the database (found once, so a table added
 * by a migration is covered without touching the test): equal checksums mean equal rows. Each row's
 * text is hashed (64 bits) and the hashes summed: no sort and no big string per call, and a row
 * added, removed or changed changes the sum.
 */
export async function tableChecksummer(sql: pg.Pool): Promise<() => Promise<TableChecksums>> {
  const { rows: tables } = await sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const query = tables
    .map(({ name }) => `SELECT ${sqlLiteral(name)} AS t, count(*) || ':' || coalesce(sum(hashtextextended(r::text, 0)::numeric), 0) AS sum FROM "${name}" r`)
    .join(' UNION ALL ');
  return async () => {
    const { rows } = await sql.query<{ t: string; sum: string }>(query);
    return Object.fromEntries(rows.map((r) => [r.t, r.sum]));
  };
}

function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The row count in a checksum. */
export function rowCountOf(checksum: string | undefined): number {
  return Number(checksum?.split(':')[0] ?? 0);
}
