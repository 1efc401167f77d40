import { microBatcher, OverloadedError } from './batching.js';

/** A batch function whose batches finish only when told to, recording the keys of each. */
function controlledBatches() {
  const batches: number[][] = [];
  const finish: Array<() => void> = [];
  const fn = (keys: readonly number[]) => {
    batches.push([...keys]);
    return new Promise<number[]>((resolve) => finish.push(() => resolve(keys.map((k) => k * 10))));
  };
  return { batches, finish, fn };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('microBatcher', () => {
  it('sends the loads of one event-loop turn as one batch, at the end of that turn', async () => {
    const { batches, finish, fn } = controlledBatches();
    const loader = microBatcher(fn);
    const results = Promise.all([loader.load(1), loader.load(2), loader.load(3)]);
    await turn();
    expect(batches).toEqual([[1, 2, 3]]);
    finish[0]!();
    expect(await results).toEqual([10, 20, 30]);
  });

  it('with maxInFlight batches running, gathers later loads into one batch sent when one finishes', async () => {
    const { batches, finish, fn } = controlledBatches();
    const loader = microBatcher(fn, { maxInFlight: 1 });
    const first = loader.load(1);
    await turn();
    const later = [loader.load(2)];
    await turn();
    later.push(loader.load(3));
    await turn();
    later.push(loader.load(4));
    await turn();
    expect(batches).toEqual([[1]]); // 2, 3 and 4 wait while batch [1] runs
    finish[0]!();
    expect(await first).toBe(10);
    await turn();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    finish[1]!();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('frees its place when a batch fails, and the failure reaches every load of that batch', async () => {
    let fail = true;
    const loader = microBatcher<number, number>(async (keys) => {
      if (fail) throw new Error('database away');
      return keys.map((k) => k + 1);
    }, { maxInFlight: 1 });
    const failed = await Promise.allSettled([loader.load(1), loader.load(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await loader.load(5)).toBe(6);
  });

  it('refuses loads at once past maxWaiting while its batches are stuck, and takes them again once the line moves', async () => {
    const { batches, finish, fn } = controlledBatches();
    const loader = microBatcher(fn, { maxInFlight: 1, maxWaiting: 3 });
    const first = loader.load(1);
    await turn(); // batch [1] runs and never finishes: the database hangs
    const queued = [loader.load(2), loader.load(3), loader.load(4)];
    await expect(loader.load(5)).rejects.toBeInstanceOf(OverloadedError);
    await expect(loader.load(6)).rejects.toMatchObject({ name: 'OverloadedError', waiting: 3 });
    finish[0]!();
    await first;
    await turn(); // [2, 3, 4] go out as one batch: the line is empty again
    expect(batches).toEqual([[1], [2, 3, 4]]);
    const later = loader.load(7);
    finish[1]!();
    expect(await Promise.all(queued)).toEqual([20, 30, 40]);
    await turn();
    finish[2]!();
    expect(await later).toBe(70);
    expect(batches).toEqual([[1], [2, 3, 4], [7]]);
  });
});
