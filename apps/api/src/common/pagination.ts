import { z } from 'zod';
import { isId, type Id, type IdKind } from '@inbox/db';
import { InvalidParameterError } from './api-error.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 250;

/** `?limit=`: a whole number 1–250, default 50. Out of range or not a number is a 400, never clamped. */
export const limitParam = z
  .string()
  .regex(/^[0-9]{1,6}$/, { error: `limit must be a whole number from 1 to ${MAX_LIMIT}` })
  .transform(Number)
  .pipe(z.number().min(1, { error: `limit must be from 1 to ${MAX_LIMIT}` }).max(MAX_LIMIT, { error: `limit must be from 1 to ${MAX_LIMIT}` }))
  .optional()
  .meta({ description: `Page size, 1–${MAX_LIMIT} (default ${DEFAULT_LIMIT})`, example: '50' });

/** `?cursor=`: the `next_cursor` of the previous page, opaque to clients. */
export const cursorParam = z.string().max(200, { error: 'cursor is not one this API returned' }).optional().meta({ description: 'next_cursor of the previous page' });

export const pageQuerySchema = z.strictObject({ limit: limitParam, cursor: cursorParam });

/** A page of a list: `{"data": [...], "next_cursor": string | null}`. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Cursors are the last id of a page (ids are time-ordered), base64url-encoded so clients don't build them. */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** The id a cursor stands for; a 400 `invalid_cursor` unless it is a cursor this API made for `kind`. */
export function decodeCursor<K extends IdKind>(cursor: string | undefined, kind: K): Id<K> | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isId(kind, id) || encodeCursor(id) !== cursor) {
    throw new InvalidParameterError([{ path: 'cursor', message: 'cursor is not one this API returned' }], 'invalid_cursor');
  }
  return id;
}

/** Builds a page from `limit + 1` rows fetched in list order: the extra row says there is more. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, present: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { data: pageRows.map(present), next_cursor: more && last ? encodeCursor(last.id) : null };
}
