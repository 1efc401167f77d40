import { redisToolsMissing, startPrivateSentinel, type PrivateSentinel } from '@inbox/testing';
import { expectSignedDelivery, startPlatform, type Platform } from './support/platform.js';
import { expectAllArrived, ingestWithChaos } from './support/stream.js';

const EVENTS = 60;

const missing = redisToolsMissing();
if (missing) console.warn(missing);

/**
 * Both built apps, as processes, on Redis under Sentinel of this file's own (a master, a replica,
 * three sentinels; `REDIS_SENTINELS` + `REDIS_SENTINEL_MASTER`): delivery end to end, then the
 * master failed over mid-stream: every event answered 202 still arrives.
 */
(missing ? describe.skip : describe)('on Redis under Sentinel', () => {
  let sentinel: PrivateSentinel;
  let platform: Platform;

  beforeAll(async () => {
    sentinel = await startPrivateSentinel();
    platform = await startPlatform('sentinel', { REDIS_URL: '', REDIS_SENTINELS: sentinel.sentinels, REDIS_SENTINEL_MASTER: sentinel.masterName });
  });

  afterAll(async () => {
    await platform?.close();
    await sentinel?.destroy();
  });

  it('delivers an ingested event, signed', async () => {
    await expectSignedDelivery(platform);
  });

  it('loses nothing accepted when the master fails over mid-stream', async () => {
    const { client, accountId, receiver } = platform;
    receiver.requests.length = 0;
    const before = await sentinel.masterPort();
    let after = before;
    const accepted = await ingestWithChaos(client, accountId, EVENTS, EVENTS / 3, async () => {
      after = await sentinel.failover();
    });
    expect(after).not.toBe(before);
    // And after it, on the new master.
    accepted.push(...(await ingestWithChaos(client, accountId, EVENTS / 3, 0, async () => {})));
    await expectAllArrived(receiver, `Sentinel failover ${before} → ${after}`, accepted, {
      diagnose: async () => `${JSON.stringify(await platform.world.fixtures.countByStatus())}\n${platform.dispatcher.output.join('').split('\n').slice(-15).join('\n')}`,
    });
  });
});
