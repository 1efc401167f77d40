import { randomFillSync } from 'node:crypto';

/** Type prefixes carried by every id, so an id says what it names. */
export const ID_PREFIX = {
  account: 'acct_',
  apiKey: 'key_',
  webhook: 'wh_',
  event: 'evt_',
  delivery: 'dlv_',
  attempt: 'att_',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

declare const idKind: unique symbol;

/**
 * An id of one kind. Only `newId`, `isId` and `parseId` make one (and repositories, for ids read
 * back from their own rows), so passing a webhook id where an account id belongs does not compile.
 */
export type Id<K extends IdKind> = string & { readonly [idKind]: K };

export type AccountId = Id<'account'>;
export type ApiKeyId = Id<'apiKey'>;
export type WebhookId = Id<'webhook'>;
export type EventId = Id<'event'>;
export type DeliveryId = Id<'delivery'>;
export type AttemptId = Id<'attempt'>;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_CHARS = 16;

/** Random bytes drawn 4 KiB at a time: one `randomBytes(16)` per id was ~2 % of the dispatcher's CPU. */
const POOL = Buffer.alloc(4096);
let poolOffset = POOL.length;

function random16(): Buffer {
  if (poolOffset + 16 > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const bytes = POOL.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return bytes;
}

/** The last id made of each kind: its millisecond and its random part as base-32 digits. */
const last = new Map<IdKind, { time: number; digits: number[] }>();

/**
 * The random part of the next id of `kind` at `time`. Within one millisecond it counts up from the
 * previous one (monotonic ULIDs), so ids of one process made in the same millisecond still sort in
 * the order they were made; a new millisecond starts from fresh random digits.
 */
function randomPart(kind: IdKind, time: number): number[] {
  const previous = last.get(kind);
  let digits: number[];
  if (previous && previous.time === time) {
    digits = previous.digits;
    for (let i = RANDOM_CHARS - 1; i >= 0; i--) {
      digits[i] = (digits[i]! + 1) % 32;
      if (digits[i] !== 0) break;
    }
  } else {
    const random = random16();
    digits = Array.from({ length: RANDOM_CHARS }, (_, i) => random[i]! % 32);
    last.set(kind, { time, digits });
  }
  return digits;
}

/**
 * `<prefix><26 chars>`: a ULID (48-bit millisecond time + 80 random bits, Crockford base32), so ids
 * sort by creation time and make stable pagination cursors.
 */
export function newId<K extends IdKind>(kind: K, now = Date.now()): Id<K> {
  let rand = '';
  for (const digit of randomPart(kind, now)) rand += CROCKFORD[digit];
  return `${ID_PREFIX[kind]}${encodeTime(now)}${rand}` as Id<K>;
}

/**
 * The smallest id of `kind` made at or after `time` (ms): every id `newId` makes from then on sorts
 * at or after it, so `id >= idFloor(kind, since)` bounds an index range by creation time.
 */
export function idFloor<K extends IdKind>(kind: K, time: number): Id<K> {
  return `${ID_PREFIX[kind]}${encodeTime(time)}${CROCKFORD[0]!.repeat(RANDOM_CHARS)}` as Id<K>;
}

/** A millisecond time as 10 Crockford base-32 digits (ULID's time part), so ids sort by it. */
function encodeTime(ms: number): string {
  let time = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

/**
 * True when `value` has the prefix of `kind` and only URL-safe id characters, at most 255 in all:
 * event ids may be chosen by the sender, within @inbox/events' limit.
 */
export function isId<K extends IdKind>(kind: K, value: unknown): value is Id<K> {
  return typeof value === 'string' && value.length <= 255 && value.startsWith(ID_PREFIX[kind]) && /^[a-z]+_[A-Za-z0-9_-]+$/.test(value);
}

/** `value` as an id of `kind`, or undefined when it is not one (a request's id that cannot exist). */
export function parseId<K extends IdKind>(kind: K, value: unknown): Id<K> | undefined {
  return isId(kind, value) ? value : undefined;
}
