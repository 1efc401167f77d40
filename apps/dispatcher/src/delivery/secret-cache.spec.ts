import { randomBytes } from 'node:crypto';
import { newId, SecretBox } from '@inbox/db';
import { generateSecret } from '@inbox/signing';
import { SecretCache } from './secret-cache.js';

describe('SecretCache', () => {
  const box = new SecretBox(randomBytes(32));
  const webhookId = newId('webhook');
  const [first, second] = [generateSecret(), generateSecret()];

  function cacheCountingOpens(): { cache: SecretCache; opens: () => number } {
    let opens = 0;
    const counting = Object.assign(Object.create(box) as SecretBox, {
      open: (sealed: string) => {
        opens += 1;
        return box.open(sealed);
      },
    });
    return { cache: new SecretCache(counting), opens: () => opens };
  }

  /** The webhook as loaded for a delivery, at version `updatedAtMs`, with its secrets sealed. */
  const loaded = (updatedAtMs: number, secret: string, previousSecret: string | null) => ({
    webhookId,
    webhookUpdatedAt: new Date(updatedAtMs),
    secretSealed: box.seal(secret),
    previousSecretSealed: previousSecret === null ? null : box.seal(previousSecret),
  });

  it('opens a webhook secret once per version of the webhook', () => {
    const { cache, opens } = cacheCountingOpens();
    const record = loaded(1000, first, null);
    expect(cache.secretsFor(record)).toEqual({ secret: first });
    expect(cache.secretsFor(record)).toEqual({ secret: first });
    expect(opens()).toBe(1);
    // Rotated: a new version, the new secret and the one it replaced.
    const rotated = loaded(2000, second, first);
    expect(cache.secretsFor(rotated)).toEqual({ secret: second, previousSecret: first });
    expect(cache.secretsFor(rotated)).toEqual({ secret: second, previousSecret: first });
    expect(opens()).toBe(3);
  });

  it('drops the previous secret once the record says it expired, though the version is the same', () => {
    const { cache, opens } = cacheCountingOpens();
    const overlapping = loaded(2000, second, first);
    expect(cache.secretsFor(overlapping)).toEqual({ secret: second, previousSecret: first });
    expect(cache.secretsFor({ ...overlapping, previousSecretSealed: null })).toEqual({ secret: second });
    expect(opens()).toBe(2);
  });

  it('opens the previous secret when a record loaded before its expiry comes after one loaded after it', () => {
    const { cache } = cacheCountingOpens();
    expect(cache.secretsFor(loaded(2000, second, null))).toEqual({ secret: second });
    expect(cache.secretsFor(loaded(2000, second, first))).toEqual({ secret: second, previousSecret: first });
  });
});
