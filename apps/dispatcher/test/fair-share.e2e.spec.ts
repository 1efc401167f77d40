import { FAIR_DEPTH, FairShare } from '@inbox/server';
import { createTestWorld, type TestWorld } from './support/world.js';

/** The accounts' lines on real Redis: places, leaving, the cap and the floor. */
describe('FairShare', () => {
  let world: TestWorld;
  let fair: FairShare;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_fair_share');
    fair = new FairShare(world.redis, world.prefix);
  });

  afterAll(() => world?.close());

  it("gives each account's jobs the next places of its own line, whoever else is queued", async () => {
    expect(await fair.placesFor(['acct_a', 'acct_a', 'acct_b', 'acct_a'])).toEqual([1, 2, 1, 3]);
    expect(await fair.placesFor(['acct_b', 'acct_c'])).toEqual([2, 1]);
  });

  it('moves an account up its line as its jobs start, never below the front', async () => {
    for (let i = 0; i < 3; i++) fair.left('acct_a');
    await fair.flush();
    expect(await fair.placesFor(['acct_a'])).toEqual([1]);
    // More leaves than places (a count that expired meanwhile): the line starts at the front again.
    for (let i = 0; i < 5; i++) fair.left('acct_a');
    await fair.flush();
    expect(await fair.placesFor(['acct_a'])).toEqual([1]);
  });

  it('gathers the leaves of one tick into one call', async () => {
    await fair.placesFor(['acct_d', 'acct_d', 'acct_d']);
    fair.left('acct_d');
    fair.left('acct_d');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await world.redis.get(`${world.prefix}:fair:acct_d`)).toBe('1');
  });

  it(`gives every job deeper than ${FAIR_DEPTH} the last place (first in, first out among them)`, async () => {
    const places = await fair.placesFor(Array.from({ length: FAIR_DEPTH + 5 }, () => 'acct_deep'));
    expect(places.slice(0, 3)).toEqual([1, 2, 3]);
    expect(places.slice(FAIR_DEPTH - 1)).toEqual(Array.from({ length: 6 }, () => FAIR_DEPTH));
    expect(await world.redis.pttl(`${world.prefix}:fair:acct_deep`)).toBeGreaterThan(0);
  });

  it('lets a count live a fixed time from its first place, however busy the account (a drifted count heals)', async () => {
    const key = `${world.prefix}:fair:acct_busy`;
    await fair.placesFor(['acct_busy']);
    const first = await world.redis.pttl(key);
    expect(first).toBeGreaterThan(10 * 60_000);
    await world.redis.pexpire(key, 5_000);
    await fair.placesFor(['acct_busy', 'acct_busy']);
    const ttl = await world.redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });
});
