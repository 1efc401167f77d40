import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { EVENT_TYPES, exampleEvents, parseEvent } from '@inbox/events';
import { createAccount, startApi, type Harness, type TestAccount } from './support/harness.js';

interface EventTypeInfo {
  type: string;
  description: string;
  schema: Record<string, unknown>;
  example: Record<string, unknown>;
}

/** A strict draft 2020-12 validator with formats (date-time), as a customer's tooling would use. */
function validator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return ajv;
}

describe('GET /v1/event-types: the event catalog', () => {
  let h: Harness;
  let account: TestAccount;
  let catalog: EventTypeInfo[];

  beforeAll(async () => {
    h = await startApi('api_event_types');
    account = await createAccount(h);
    const res = await h.http().get('/v1/event-types').set(account.auth).expect(200);
    expect(Object.keys(res.body)).toEqual(['data']);
    catalog = res.body.data;
  });

  afterAll(async () => {
    await h?.close();
  });

  it('lists every type a webhook may subscribe to, in order: the four message events, then webhook.disabled', () => {
    expect(catalog.map((entry) => entry.type)).toEqual([...EVENT_TYPES]);
    expect(catalog.map((entry) => entry.type)).toEqual(['message.delivered', 'message.read', 'message.failed', 'message.action', 'webhook.disabled']);
    for (const entry of catalog) {
      expect(Object.keys(entry).sort()).toEqual(['description', 'example', 'schema', 'type']);
      expect(entry.description).toEqual(expect.stringMatching(/^Triggered when /));
    }
  });

  it.each(EVENT_TYPES)('%s: a valid JSON Schema that its example passes, and a parsing example', (type) => {
    const entry = catalog.find((e) => e.type === type)!;
    expect(entry.schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const validate = validator().compile(entry.schema);
    expect(validate(entry.example)).toBe(true);
    expect(validate.errors ?? null).toBeNull();
    expect(entry.example).toEqual(exampleEvents[type]);
    expect(parseEvent(entry.example)).toEqual(entry.example);
  });

  it('has schemas that refuse other types and broken events', () => {
    const schemaOf = (type: string) => validator().compile(catalog.find((e) => e.type === type)!.schema);
    const disabled = schemaOf('webhook.disabled');
    expect(disabled(exampleEvents['message.read'])).toBe(false);
    expect(disabled({ ...exampleEvents['webhook.disabled'], data: { ...exampleEvents['webhook.disabled'].data, reason: 'manual' } })).toBe(false);
    expect(disabled({ ...exampleEvents['webhook.disabled'], data: { ...exampleEvents['webhook.disabled'].data, disabled_at: 'yesterday' } })).toBe(false);
    expect(disabled({ ...exampleEvents['webhook.disabled'], extra: 1 })).toBe(false);
    // Data may gain keys: a receiver validating with today's schema keeps working.
    expect(disabled({ ...exampleEvents['webhook.disabled'], data: { ...exampleEvents['webhook.disabled'].data, later: true } })).toBe(true);
    expect(schemaOf('message.failed')({ ...exampleEvents['message.failed'], data: { ...exampleEvents['message.failed'].data, to: '555' } })).toBe(false);
  });

  it('needs an API key like every /v1 route, and is the same for every account', async () => {
    expect((await h.http().get('/v1/event-types').expect(401)).body.error.code).toBe('unauthorized');
    await h.http().get('/v1/event-types').set('Authorization', 'Bearer inbox_sk_nope').expect(401);
    const other = await createAccount(h, 'Globex');
    expect((await h.http().get('/v1/event-types').set(other.auth).expect(200)).body.data).toEqual(catalog);
  });
});
