import type { Redis } from 'ioredis';
import { withinRedisWait } from './redis.js';

const connection = (status: string) => ({ status }) as unknown as Redis;

describe('withinRedisWait', () => {
  it('rejects at once, without starting the work, while the connection is not ready', async () => {
    let started = false;
    const work = async () => {
      started = true;
      return 'OK';
    };
    await expect(withinRedisWait(connection('reconnecting'), work)).rejects.toThrow('Redis connection is reconnecting');
    expect(started).toBe(false);
  });

  it("answers with the work's result when Redis answers in time", async () => {
    await expect(withinRedisWait(connection('ready'), async () => 'PONG')).resolves.toBe('PONG');
  });

  it('gives up once the wait is over, whatever the work is still doing', async () => {
    const started = Date.now();
    await expect(withinRedisWait(connection('ready'), () => new Promise(() => {}), 50)).rejects.toThrow('Redis did not answer within 50 ms');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
