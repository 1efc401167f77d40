import { ZodError } from 'zod';
import {
  deviceIdSchema,
  eventDataSchemas,
  eventIdSchema,
  eventTypeSchema,
  exampleEvents,
  formatIssues,
  messageIdSchema,
  parseEvent,
  parseEventData,
  phoneNumberSchema,
  safeParseEvent,
  timestampSchema,
  webhookEventSchema,
  type EventData,
  type EventType,
  type WebhookEvent,
} from './index.js';

type Json = Record<string, unknown>;

/** A mutable deep copy of a docs example, as plain JSON. */
function example(type: EventType): Json {
  return structuredClone(exampleEvents[type]) as unknown as Json;
}
function dataOf(event: Json): Json {
  return event.data as Json;
}

/** Paths of the issues that make `input` fail (fails the test when it parses). */
function issuePaths(input: unknown): string[] {
  const result = safeParseEvent(input);
  if (result.success) throw new Error(`expected a failure, parsed ${JSON.stringify(input)}`);
  return formatIssues(result.error).map((issue) => issue.path);
}

describe('primitive schemas', () => {
  it.each([
    [eventIdSchema, 'evt_1234567890', true],
    [eventIdSchema, 'evt_a-B_9', true],
    [eventIdSchema, 'evt_', false],
    [eventIdSchema, 'msg_1234567890', false],
    [eventIdSchema, 'evt_12 34', false],
    [eventIdSchema, 'evt_1234.5', false],
    [eventIdSchema, `evt_${'a'.repeat(251)}`, true],
    [eventIdSchema, `evt_${'a'.repeat(252)}`, false],
    [messageIdSchema, 'msg_1234567890', true],
    [messageIdSchema, 'evt_1234567890', false],
    [deviceIdSchema, 'dev_abcdef123456', true],
    [deviceIdSchema, 'device_abcdef123456', false],
  ] as const)('%# id %s → %s', (schema, value, ok) => {
    expect(schema.safeParse(value).success).toBe(ok);
  });

  it.each([
    ['+15551234567', true],
    ['+4915112345678', true],
    ['+12345678', true], // 8 digits, the minimum
    ['+123456789012345', true], // 15 digits, the maximum
    ['+1234567', false], // 7 digits
    ['+1234567890123456', false], // 16 digits
    ['15551234567', false], // no +
    ['+05551234567', false], // leading 0
    ['+1 555 123 4567', false],
    ['+1-555-123-4567', false],
    ['', false],
  ])('phone number %p → %s', (value, ok) => {
    expect(phoneNumberSchema.safeParse(value).success).toBe(ok);
  });

  it.each([
    ['2025-01-15T10:25:03Z', true],
    ['2025-01-15T10:25:03.1Z', true],
    ['2025-01-15T10:25:03.123456Z', true],
    ['2025-01-15T10:25:03+00:00', false], // an offset, even +00:00, is not the documented form
    ['2025-01-15T12:25:03+02:00', false],
    ['2025-01-15T10:25:03', false], // no zone
    ['2025-01-15T10:25Z', false], // no seconds
    ['2025-01-15 10:25:03Z', false],
    ['2025-01-15', false],
    ['2025-02-30T10:25:03Z', false],
    ['1736936703', false],
  ])('timestamp %p → %s', (value, ok) => {
    expect(timestampSchema.safeParse(value).success).toBe(ok);
  });

  it('eventTypeSchema is the enum of the four message types and webhook.disabled', () => {
    expect(eventTypeSchema.options).toEqual(['message.delivered', 'message.read', 'message.failed', 'message.action', 'webhook.disabled']);
  });
});

describe('parseEvent: broken events fail at the bad field', () => {
  it('refuses a non-object at the root', () => {
    expect(issuePaths('{"id":"evt_1"}')).toEqual(['']);
    expect(issuePaths(null)).toEqual(['']);
    expect(issuePaths([])).toEqual(['']);
  });

  it.each(['id', 'created_at', 'data'])('missing %s', (field) => {
    const event = example('message.delivered');
    delete event[field];
    expect(issuePaths(event)).toEqual([field]);
  });

  it('missing type', () => {
    const event = example('message.read');
    delete event.type;
    expect(issuePaths(event)).toEqual(['type']);
  });

  it.each([
    ['message.delivered', 'message_id'],
    ['message.delivered', 'to'],
    ['message.delivered', 'delivered_at'],
    ['message.delivered', 'device_id'],
    ['message.read', 'read_at'],
    ['message.read', 'device_id'],
    ['message.failed', 'error_code'],
    ['message.failed', 'error_message'],
    ['message.failed', 'failed_at'],
    ['message.action', 'action'],
    ['message.action', 'action_data'],
    ['message.action', 'clicked_at'],
  ] as const)('%s without data.%s', (type, field) => {
    const event = example(type);
    delete dataOf(event)[field];
    expect(issuePaths(event)).toEqual([`data.${field}`]);
  });

  it('message.action without action_data.button_id', () => {
    const event = example('message.action');
    delete (dataOf(event).action_data as Json).button_id;
    expect(issuePaths(event)).toEqual(['data.action_data.button_id']);
  });

  it.each([['msg_1234567890'], ['1234567890'], ['evt_'], ['EVT_123'], [42]])('event id %p', (id) => {
    expect(issuePaths({ ...example('message.failed'), id })).toEqual(['id']);
  });

  it('message id with the wrong prefix', () => {
    const event = example('message.delivered');
    dataOf(event).message_id = 'evt_1234567890';
    expect(issuePaths(event)).toEqual(['data.message_id']);
  });

  it('device id with the wrong prefix', () => {
    const event = example('message.read');
    dataOf(event).device_id = 'msg_abcdef123456';
    expect(issuePaths(event)).toEqual(['data.device_id']);
  });

  it.each([['5551234567'], ['+1 555 123 4567'], ['+05551234567'], ['+1555'], [15551234567]])(
    'non-E.164 to %p',
    (to) => {
      const event = example('message.action');
      dataOf(event).to = to;
      expect(issuePaths(event)).toEqual(['data.to']);
    },
  );

  it.each([['2025-01-15T10:25:03+00:00'], ['2025-01-15T10:25:03'], ['2025-01-15 10:25:03Z'], [1736936703]])(
    'non-UTC created_at %p',
    (createdAt) => {
      expect(issuePaths({ ...example('message.delivered'), created_at: createdAt })).toEqual(['created_at']);
    },
  );

  it.each([
    ['message.delivered', 'delivered_at'],
    ['message.read', 'read_at'],
    ['message.failed', 'failed_at'],
    ['message.action', 'clicked_at'],
  ] as const)('%s with a non-UTC data.%s', (type, field) => {
    const event = example(type);
    dataOf(event)[field] = '2025-01-15T11:25:03+01:00';
    expect(issuePaths(event)).toEqual([`data.${field}`]);
  });

  it.each([['message.bounced'], ['message.Delivered'], [''], [1]])('wrong type literal %p', (type) => {
    expect(issuePaths({ ...example('message.delivered'), type })).toEqual(['type']);
  });

  it('the data of another type', () => {
    const event = { ...example('message.failed'), data: dataOf(example('message.delivered')) };
    expect(issuePaths(event)).toEqual(['data.error_code', 'data.error_message', 'data.failed_at']);
  });

  it('data that is not an object', () => {
    expect(issuePaths({ ...example('message.read'), data: 'read' })).toEqual(['data']);
    expect(issuePaths({ ...example('message.read'), data: null })).toEqual(['data']);
  });

  it.each([['A-123'], [['A-123']], [null], [42]])('custom_data %p is not an object', (customData) => {
    const event = example('message.action');
    (dataOf(event).action_data as Json).custom_data = customData;
    expect(issuePaths(event)).toEqual(['data.action_data.custom_data']);
  });

  it('action_data that is not an object', () => {
    const event = example('message.action');
    dataOf(event).action_data = 'btn_confirm';
    expect(issuePaths(event)).toEqual(['data.action_data']);
  });

  it.each([
    ['message.failed', 'error_code', ''],
    ['message.failed', 'error_message', 7],
    ['message.action', 'action', ''],
    ['message.failed', 'error_message', 'Recipient\u0000unreachable'],
    ['message.failed', 'error_code', 'x'.repeat(256)],
    ['message.failed', 'error_message', 'x'.repeat(8193)],
    ['message.action', 'action', 'confirm\ud800'],
  ] as const)('%s with a bad data.%s (case %#: empty, wrong type, unstorable or too long)', (type, field, value) => {
    const event = example(type);
    dataOf(event)[field] = value;
    expect(issuePaths(event)).toEqual([`data.${field}`]);
  });

  it('reports every bad field at once', () => {
    const event = example('message.delivered');
    event.id = 'bad';
    dataOf(event).to = 'bad';
    delete dataOf(event).device_id;
    expect(issuePaths(event)).toEqual(['id', 'data.to', 'data.device_id']);
  });

  it('throws a ZodError from parseEvent', () => {
    expect(() => parseEvent({ ...example('message.read'), id: 'nope' })).toThrow(ZodError);
  });
});

describe('webhook.disabled', () => {
  it.each(['webhook_id', 'url', 'reason', 'disabled_at'])('without data.%s', (field) => {
    const event = example('webhook.disabled');
    delete dataOf(event)[field];
    expect(issuePaths(event)).toEqual([`data.${field}`]);
  });

  it.each([
    ['webhook_id', 'evt_1234567890'],
    ['webhook_id', 'wh_'],
    ['url', ''],
    ['url', 'https://x.test/\u0000'],
    ['reason', 'manual'],
    ['reason', 'FAILING'],
    ['disabled_at', '2025-01-20T10:30:00+00:00'],
  ])('a bad data.%s %p', (field, value) => {
    const event = example('webhook.disabled');
    dataOf(event)[field] = value;
    expect(issuePaths(event)).toEqual([`data.${field}`]);
  });

  it('takes both reasons, and keeps unknown data keys', () => {
    const event = example('webhook.disabled');
    dataOf(event).reason = 'gone';
    dataOf(event).later = 1;
    const parsed = parseEvent(event);
    expect(parsed).toEqual(event);
    if (parsed.type !== 'webhook.disabled') throw new Error('narrowed on type');
    const reason: 'failing' | 'gone' = parsed.data.reason;
    expect(reason).toBe('gone');
  });

  it('parseEventData types its data', () => {
    const data: EventData<'webhook.disabled'> = parseEventData('webhook.disabled', exampleEvents['webhook.disabled'].data);
    expect(data.webhook_id).toBe('wh_1234567890');
  });
});

describe('extension policy: strict envelope, open data', () => {
  it('refuses an unknown key on the envelope, at its own path', () => {
    expect(issuePaths({ ...example('message.read'), account_id: 'acct_1' })).toEqual(['account_id']);
  });

  it('keeps unknown keys inside data and action_data', () => {
    const event = example('message.action');
    dataOf(event).new_field = { nested: true };
    (dataOf(event).action_data as Json).label = 'Confirm';
    const parsed = parseEvent(event);
    expect(parsed).toEqual(event);
    expect((parsed.data as Json).new_field).toEqual({ nested: true });
  });

  it('custom_data is optional and holds anything', () => {
    const event = example('message.action');
    delete (dataOf(event).action_data as Json).custom_data;
    expect(parseEvent(event)).toEqual(event);
    (dataOf(event).action_data as Json).custom_data = { a: [1, { b: null }], c: 'x' };
    expect(parseEvent(event)).toEqual(event);
  });
});

describe('parseEventData', () => {
  it('returns the typed data of a valid payload', () => {
    const data: EventData<'message.failed'> = parseEventData('message.failed', exampleEvents['message.failed'].data);
    expect(data.error_code).toBe('recipient_unreachable');
  });

  it('throws a ZodError with paths under data', () => {
    const bad = { ...exampleEvents['message.delivered'].data, to: '555' };
    try {
      parseEventData('message.delivered', bad);
      throw new Error('expected a ZodError');
    } catch (error) {
      expect(error).toBeInstanceOf(ZodError);
      expect(formatIssues(error as ZodError).map((issue) => issue.path)).toEqual(['data.to']);
    }
  });

  it('validates against the schema of the given type', () => {
    expect(() => parseEventData('message.read', exampleEvents['message.delivered'].data)).toThrow(ZodError);
  });

  it('throws a ZodError at path type for an unknown type', () => {
    try {
      parseEventData('message.bounced' as EventType, {});
      throw new Error('expected a ZodError');
    } catch (error) {
      expect(error).toBeInstanceOf(ZodError);
      expect(formatIssues(error as ZodError).map((issue) => issue.path)).toEqual(['type']);
    }
  });

  it('eventDataSchemas has the data schema of each type', () => {
    for (const event of Object.values(exampleEvents) as WebhookEvent[]) {
      expect(eventDataSchemas[event.type].safeParse(event.data).success).toBe(true);
    }
  });
});

describe('formatIssues', () => {
  it('gives dotted paths and zod messages', () => {
    const result = webhookEventSchema.safeParse({ ...example('message.delivered'), id: 'x' });
    expect(result.success).toBe(false);
    if (result.success) return;
    const issues = formatIssues(result.error);
    expect(issues).toEqual([{ path: 'id', message: expect.stringContaining('evt_') }]);
  });

  it('expands unknown keys to one entry each', () => {
    const result = webhookEventSchema.safeParse({ ...example('message.delivered'), foo: 1, bar: 2 });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(formatIssues(result.error)).toEqual([
      { path: 'foo', message: 'unknown field "foo"' },
      { path: 'bar', message: 'unknown field "bar"' },
    ]);
  });

  it('joins array indices with dots', () => {
    const error = new ZodError([{ code: 'custom', path: ['data', 'items', 0, 'id'], message: 'bad', input: 1 }]);
    expect(formatIssues(error)).toEqual([{ path: 'data.items.0.id', message: 'bad' }]);
  });

  it('names the phone number rule in its message', () => {
    const result = safeParseEvent({
      ...example('message.read'),
      data: { ...dataOf(example('message.read')), to: '555' },
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(formatIssues(result.error)[0]?.message).toMatch(/E\.164/);
  });
});

describe('storable and bounded: what Postgres cannot hold or a receiver cannot read back is refused at its field', () => {
  it.each([
    ['created_at', '0000-01-01T00:00:00Z'],
    ['created_at', '1969-12-31T23:59:59Z'],
    ['data.delivered_at', '0001-01-01T00:00:00Z'],
  ])('%s %s, outside 1970–9999', (path, value) => {
    const event = example('message.delivered');
    if (path === 'created_at') event.created_at = value;
    else dataOf(event).delivered_at = value;
    expect(issuePaths(event)).toEqual([path]);
  });

  it('accepts the ends of the range', () => {
    expect(safeParseEvent({ ...example('message.read'), created_at: '1970-01-01T00:00:00Z' }).success).toBe(true);
    expect(safeParseEvent({ ...example('message.read'), created_at: '9999-12-31T23:59:59Z' }).success).toBe(true);
  });

  it('action_data.button_id with a NUL', () => {
    const event = example('message.action');
    (dataOf(event).action_data as Json).button_id = 'btn\u0000';
    expect(issuePaths(event)).toEqual(['data.action_data.button_id']);
  });

  it('free-form custom_data: a NUL deep inside, at its own path', () => {
    const event = example('message.action');
    (dataOf(event).action_data as Json).custom_data = { order: { lines: [{ sku: 'A\u0000' }] } };
    expect(issuePaths(event)).toEqual(['data.action_data.custom_data.order.lines.0.sku']);
  });

  it('free-form custom_data nested past 16 levels', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const event = example('message.action');
    (dataOf(event).action_data as Json).custom_data = { deep };
    // data, action_data, custom_data, deep, then 12 more levels of `d` are 16; the 17th is refused.
    expect(issuePaths(event)).toEqual([['data.action_data.custom_data.deep', ...Array<string>(13).fill('d')].join('.')]);
  });

  it('an undocumented data field with a NUL key is refused at its object (the key is not echoed)', () => {
    const event = example('message.read');
    dataOf(event).extra = { 'k\u0000': 1 };
    const result = safeParseEvent(event);
    expect(result.success).toBe(false);
    expect(formatIssues(result.error!)).toEqual([{ path: 'data.extra', message: expect.stringMatching(/^keys must not contain NUL/) }]);
  });

  it('checks the limits once the documented fields are right (one problem is not reported twice)', () => {
    const event = example('message.failed');
    dataOf(event).error_message = 'x\u0000';
    dataOf(event).note = 'y\u0000';
    expect(issuePaths(event)).toEqual(['data.error_message']);
    dataOf(event).error_message = 'fine';
    expect(issuePaths(event)).toEqual(['data.note']);
  });
});
