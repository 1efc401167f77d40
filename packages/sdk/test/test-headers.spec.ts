import { buildDeliveryHeaders, DEFAULT_USER_AGENT, generateSecret } from '@inbox/signing';
import { exampleEvents } from '@inbox/events';
import { constructEvent, generateTestHeaders as generateWithNodeCrypto, type GenerateTestHeadersOptions, type TestHeaders } from '../src/index.js';
import { constructEventAsync, generateTestHeaders as generateWithWebCrypto } from '../src/web/index.js';
import { FIXTURE } from './support/fixtures.js';

const secret = generateSecret();
const event = exampleEvents['message.failed'];

describe.each([
  ['@inbox/sdk (node:crypto)', generateWithNodeCrypto],
  ['@inbox/sdk/web (Web Crypto)', generateWithWebCrypto],
])('generateTestHeaders from %s', (_entry, generateTestHeaders: (options: GenerateTestHeadersOptions) => Promise<TestHeaders>) => {
  it("signs the independently signed fixture's body into exactly its headers (openssl's signatures)", async () => {
    const headers = await generateTestHeaders({ payload: FIXTURE.body, secret: FIXTURE.secret, timestamp: FIXTURE.nowMs / 1000 });
    expect(headers).toEqual({ ...FIXTURE.headers, 'user-agent': DEFAULT_USER_AGENT });
  });

  it('gives the headers @inbox/signing gives the dispatcher for a real delivery, byte for byte', async () => {
    const body = JSON.stringify(event);
    const options = { eventId: 'evt_parity', eventType: 'message.failed', attempt: 3, timestamp: 1_736_937_000 };
    const headers = await generateTestHeaders({ payload: body, secret, ...options });
    expect(headers).toEqual(buildDeliveryHeaders({ ...options, body, secret }));
  });

  it('takes the event id and type from the payload, attempt 1 and the current time, and constructEvent accepts them', async () => {
    const payload = JSON.stringify(event);
    const before = Math.floor(Date.now() / 1000);
    const headers = await generateTestHeaders({ payload, secret });
    expect(headers).toMatchObject({ 'webhook-id': event.id, 'x-inbox-event-id': event.id, 'x-inbox-event-type': 'message.failed', 'x-inbox-delivery-attempt': '1' });
    expect(Number(headers['webhook-timestamp'])).toBeGreaterThanOrEqual(before);
    expect(Number(headers['webhook-timestamp'])).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(constructEvent(payload, headers, secret)).toEqual(event);
    await expect(constructEventAsync(payload, new Headers(headers), secret)).resolves.toEqual(event);
  });

  it('signs an event object as JSON.stringify(payload), bytes as they are', async () => {
    const fromObject = await generateTestHeaders({ payload: event, secret, timestamp: 1_736_937_000 });
    const fromString = await generateTestHeaders({ payload: JSON.stringify(event), secret, timestamp: 1_736_937_000 });
    const fromBytes = await generateTestHeaders({ payload: new TextEncoder().encode(JSON.stringify(event)), secret, timestamp: 1_736_937_000 });
    expect(fromObject).toEqual(fromString);
    expect(fromBytes).toEqual(fromString);
  });

  it('lets a test send what the platform never would: an old timestamp, another secret, a body that is no event', async () => {
    const payload = JSON.stringify(event);
    const old = await generateTestHeaders({ payload, secret, timestamp: new Date(Date.now() - 600_000) });
    expect(() => constructEvent(payload, old, secret)).toThrow(expect.objectContaining({ code: 'timestamp_too_old' }));
    const other = await generateTestHeaders({ payload, secret: generateSecret() });
    expect(() => constructEvent(payload, other, secret)).toThrow(expect.objectContaining({ code: 'invalid_signature' }));
    const notJson = await generateTestHeaders({ payload: 'not json', secret, eventType: 'message.read' });
    expect(notJson['webhook-id']).toMatch(/^evt_test_[0-9a-f]{16}$/);
    expect(() => constructEvent('not json', notJson, secret)).toThrow(expect.objectContaining({ code: 'invalid_json' }));
  });

  it.each<[string, Partial<GenerateTestHeadersOptions>, RegExp]>([
    ['a secret that is not a whsec_ secret', { secret: 'not-a-secret' }, /secret must be a webhook secret/],
    ['a payload without a type and no eventType', { payload: '{"id": "evt_1"}' }, /pass eventType/],
    ['an event id with a space', { eventId: 'evt 1' }, /eventId must be/],
    ['attempt 0', { attempt: 0 }, /attempt counts from 1/],
    ['a timestamp in milliseconds with a fraction', { timestamp: 1.5 }, /whole seconds/],
    ['no payload', { payload: undefined }, /payload must be/],
  ])('refuses %s with a TypeError that says so (and never shows the secret)', async (_what, change, message) => {
    const options = { payload: JSON.stringify(event), secret, ...change } as GenerateTestHeadersOptions;
    const error = await generateTestHeaders(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toMatch(message);
    expect((error as TypeError).message).not.toContain(secret.slice(6));
  });
});
