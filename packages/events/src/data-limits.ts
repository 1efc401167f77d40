import { z } from 'zod';
import { isStorableText, unstorableTextMessage } from './storable.js';

/**
 * Limits on an event's `data`, which carries free-form JSON (`action_data.custom_data`, and any field
 * the schema does not name). The request body limit bounds the whole; these keep every part of it
 * storable and bounded, and keep hostile nesting away from the recursive code (serializers, loggers)
 * that the value meets later.
 */
export const DATA_LIMITS = {
  /** Levels of objects and arrays, `data` itself being the first. */
  depth: 16,
  /** Characters in one string (documented fields have tighter limits of their own). */
  stringLength: 8192,
  /** Characters in one object key. */
  keyLength: 256,
  /** Keys of one object; items of one array. */
  entries: 1000,
} as const;

/** Problems reported for one value at most: enough to fix a payload, few for a hostile one. */
const MAX_PROBLEMS = 10;

export interface DataLimitProblem {
  /** Relative to the value checked. A bad key is reported at its object, never echoed. */
  path: Array<string | number>;
  message: string;
}

interface Pending {
  value: unknown;
  path: Array<string | number>;
  depth: number;
}

/**
 * What breaks DATA_LIMITS in a JSON value: unstorable text (`isStorableText`) in strings or keys,
 * over-long strings or keys, too many entries, nesting too deep, non-finite numbers (JSON's `1e400`
 * parses to Infinity and would be sent as `null`). Walks with its own stack: it never recurses.
 */
export function findDataLimitProblems(value: unknown): DataLimitProblem[] {
  const problems: DataLimitProblem[] = [];
  const pending: Pending[] = [{ value, path: [], depth: 1 }];
  const report = (path: Array<string | number>, message: string) => problems.push({ path, message });
  while (pending.length > 0 && problems.length < MAX_PROBLEMS) {
    const { value: v, path, depth } = pending.pop()!;
    if (typeof v === 'string') {
      if (!isStorableText(v)) report(path, unstorableTextMessage('text'));
      else if (v.length > DATA_LIMITS.stringLength) report(path, `text must be at most ${DATA_LIMITS.stringLength} characters`);
      continue;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) report(path, 'number must be finite');
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth > DATA_LIMITS.depth) {
      report(path, `objects and arrays must not nest more than ${DATA_LIMITS.depth} levels deep (data is the first)`);
      continue;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((item, index) => [index, item]) : Object.entries(v);
    if (entries.length > DATA_LIMITS.entries) {
      report(path, `must hold at most ${DATA_LIMITS.entries} ${Array.isArray(v) ? 'items' : 'keys'}`);
      continue;
    }
    const children: Pending[] = [];
    for (const [key, child] of entries) {
      if (typeof key === 'string' && !isStorableText(key)) report(path, unstorableTextMessage('keys'));
      else if (typeof key === 'string' && key.length > DATA_LIMITS.keyLength) report(path, `keys must be at most ${DATA_LIMITS.keyLength} characters`);
      else children.push({ value: child, path: [...path, key], depth: depth + 1 });
    }
    // Reversed onto the stack, so problems come out in document order.
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  }
  return problems.slice(0, MAX_PROBLEMS);
}

/**
 * The zod check of DATA_LIMITS, one issue per problem at its path. It runs once the schema found
 * nothing else wrong, so a documented field with its own limit is not reported twice.
 */
export const withinDataLimits = z.check<unknown>((payload) => {
  if (payload.issues.length > 0) return;
  for (const problem of findDataLimitProblems(payload.value)) {
    payload.issues.push({ code: 'custom', input: payload.value, path: problem.path, message: problem.message });
  }
});
