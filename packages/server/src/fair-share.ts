import { withinRedisWait, type RedisClient } from './redis.js';

/**
 * The deepest place in an account's line that gets a priority of its own. BullMQ allows 2^21;
 * beyond this depth an account's jobs share one priority and go first in, first out, so a deep
 * backlog's oldest jobs are never overtaken by more than this many of its own newer ones.
 */
export const FAIR_DEPTH = 1_000;

/**
 * A count lives this long from its first place, however busy its account, so one that drifted (a
 * place taken for a job that was never added, a leave lost with a killed dispatcher) heals itself.
 */
const COUNT_TTL_MS = 15 * 60_000;

/**
 * KEYS: one count per account; ARGV: TTL ms, then how many jobs each account adds. Answers each
 * account's count before its jobs were added (its jobs already waiting).
 */
const TAKE_PLACES = `
local before = {}
for i, key in ipairs(KEYS) do
  local n = tonumber(ARGV[i + 1])
  before[i] = redis.call('INCRBY', key, n) - n
  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return before
`;

/** KEYS: one count per account; ARGV: how many of each account's jobs left the line. Never below 0. */
const LEAVE = `
for i, key in ipairs(KEYS) do
  local left = redis.call('DECRBY', key, ARGV[i])
  if left <= 0 then redis.call('DEL', key) end
end
return 0
`;

interface FairShareCommands {
  inboxTakePlaces(...keysThenArgs: Array<string | number>): Promise<number[]>;
  inboxLeavePlaces(...keysThenArgs: Array<string | number>): Promise<number>;
}

/**
 * Round-robin between accounts on one delivery queue, with BullMQ's own priorities (open source):
 * Redis counts each account's jobs waiting for their first run, and an account's k-th job in line
 * gets priority k. A burst of 20k jobs from one account takes priorities 1…1000 and then 1000,
 * while another account's next job takes 1 and is fetched before all but the first of them.
 * Producers ask for priorities (`placesFor`); the dispatcher reports each job's first start
 * (`left`), batched. Counts live under the queue prefix's hash tag (one Cluster slot).
 *
 * A lost decrement (a dispatcher killed), a place taken for a job never added or a flushed Redis
 * only skews one account's places until its count expires (at most COUNT_TTL_MS after it began);
 * it never loses or blocks a job. Retries go to the front (the dispatcher lowers their priority).
 */
export class FairShare {
  private readonly redis: RedisClient & FairShareCommands;
  private readonly pendingLeaves = new Map<string, number>();
  private flushing: Promise<void> | undefined;

  constructor(
    redis: RedisClient,
    /** The queue prefix (with its hash tag). */
    private readonly prefix: string,
  ) {
    redis.defineCommand('inboxTakePlaces', { lua: TAKE_PLACES });
    redis.defineCommand('inboxLeavePlaces', { lua: LEAVE });
    this.redis = redis as RedisClient & FairShareCommands;
  }

  /** A BullMQ priority (1…FAIR_DEPTH) for each job, in order, counting each in its account's line. */
  async placesFor(accountIds: readonly string[]): Promise<number[]> {
    if (accountIds.length === 0) return [];
    const added = new Map<string, number>();
    for (const id of accountIds) added.set(id, (added.get(id) ?? 0) + 1);
    const accounts = [...added.keys()];
    const before = await this.redis.inboxTakePlaces(accounts.length, ...accounts.map((a) => this.key(a)), COUNT_TTL_MS, ...accounts.map((a) => added.get(a)!));
    const next = new Map(accounts.map((a, i) => [a, Math.max(0, Number(before[i]))]));
    return accountIds.map((id) => {
      const place = next.get(id)! + 1;
      next.set(id, place);
      return Math.min(place, FAIR_DEPTH);
    });
  }

  /** One of the account's jobs left the line (its first run started); sent with others shortly. */
  left(accountId: string): void {
    this.pendingLeaves.set(accountId, (this.pendingLeaves.get(accountId) ?? 0) + 1);
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  /** Sends the leaves gathered so far; a failure drops them (the counts expire). Never throws. */
  async flush(): Promise<void> {
    const leaves = [...this.pendingLeaves];
    this.pendingLeaves.clear();
    this.flushing = undefined;
    if (leaves.length === 0) return;
    try {
      await withinRedisWait(this.redis, () => this.redis.inboxLeavePlaces(leaves.length, ...leaves.map(([a]) => this.key(a)), ...leaves.map(([, n]) => n)));
    } catch {
      // The account's places stay a little deep until its count expires.
    }
  }

  private key(accountId: string): string {
    return `${this.prefix}:fair:${accountId}`;
  }
}
