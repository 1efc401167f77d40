import {
  EVENT_TYPES,
  MESSAGE_EVENT_TYPES,
  OPERATIONAL_EVENT_TYPES,
  exampleEvents,
  isEventType,
  isMessageEventType,
  parseEvent,
  type EventOfType,
  type MessageActionEvent,
  type MessageEventType,
  type WebhookDisabledEvent,
  type WebhookEvent,
} from './index.js';

// The four payloads exactly as printed on the public docs page (shared/spec/webhooks-docs.txt),
// pasted verbatim: exampleEvents must serialize to the same JSON, key order included.
const DOCS_EXAMPLES: Record<MessageEventType, string> = {
  'message.delivered': `{
  "id": "evt_1234567890",
  "type": "message.delivered",
  "created_at": "2025-01-15T10:25:03Z",
  "data": {
    "message_id": "msg_1234567890",
    "to": "+15551234567",
    "delivered_at": "2025-01-15T10:25:03Z",
    "device_id": "dev_abcdef123456"
  }
}`,
  'message.read': `{
  "id": "evt_1234567891",
  "type": "message.read",
  "created_at": "2025-01-15T10:25:15Z",
  "data": {
    "message_id": "msg_1234567890",
    "to": "+15551234567",
    "read_at": "2025-01-15T10:25:15Z",
    "device_id": "dev_abcdef123456"
  }
}`,
  'message.failed': `{
  "id": "evt_1234567892",
  "type": "message.failed",
  "created_at": "2025-01-15T10:30:00Z",
  "data": {
    "message_id": "msg_1234567890",
    "to": "+15551234567",
    "error_code": "recipient_unreachable",
    "error_message": "Recipient has not installed the Inbox app",
    "failed_at": "2025-01-15T10:30:00Z"
  }
}`,
  'message.action': `{
  "id": "evt_1234567893",
  "type": "message.action",
  "created_at": "2025-01-15T10:26:00Z",
  "data": {
    "message_id": "msg_1234567890",
    "to": "+15551234567",
    "action": "confirm",
    "action_data": {
      "button_id": "btn_confirm",
      "custom_data": {"order_id": "A-123"}
    },
    "clicked_at": "2025-01-15T10:26:00Z"
  }
}`,
};

describe('EVENT_TYPES / isEventType', () => {
  it('lists the four documented message types in docs order, then the operational webhook.disabled', () => {
    expect(MESSAGE_EVENT_TYPES).toEqual(['message.delivered', 'message.read', 'message.failed', 'message.action']);
    expect(OPERATIONAL_EVENT_TYPES).toEqual(['webhook.disabled']);
    expect(EVENT_TYPES).toEqual([...MESSAGE_EVENT_TYPES, 'webhook.disabled']);
  });

  it.each(EVENT_TYPES)('accepts %s', (type) => {
    expect(isEventType(type)).toBe(true);
  });

  it.each([['message.bounced'], ['MESSAGE.READ'], ['webhook.enabled'], [''], [undefined], [null], [42], [{}]])('refuses %p', (value) => {
    expect(isEventType(value)).toBe(false);
  });

  it('isMessageEventType takes the message types only: webhook.disabled is the platform’s own', () => {
    expect(MESSAGE_EVENT_TYPES.every(isMessageEventType)).toBe(true);
    expect(isMessageEventType('webhook.disabled')).toBe(false);
    expect(isMessageEventType('message.bounced')).toBe(false);
  });
});

describe('exampleEvents', () => {
  it('has one example per event type, keyed by its type', () => {
    expect(Object.keys(exampleEvents)).toEqual([...EVENT_TYPES]);
    for (const type of EVENT_TYPES) expect(exampleEvents[type].type).toBe(type);
  });

  it.each(MESSAGE_EVENT_TYPES)('%s is the docs example, value for value and in the same key order', (type) => {
    const docs: unknown = JSON.parse(DOCS_EXAMPLES[type]);
    expect(exampleEvents[type]).toEqual(docs);
    expect(JSON.stringify(exampleEvents[type])).toBe(JSON.stringify(docs));
  });

  it.each(MESSAGE_EVENT_TYPES)('the docs example of %s parses, unchanged', (type) => {
    const docs: unknown = JSON.parse(DOCS_EXAMPLES[type]);
    const parsed: WebhookEvent = parseEvent(docs);
    expect(parsed).toEqual(docs);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(docs));
  });

  it('has a webhook.disabled example that parses, unchanged', () => {
    const disabled: WebhookDisabledEvent = exampleEvents['webhook.disabled'];
    expect(parseEvent(disabled)).toEqual(disabled);
    expect(JSON.stringify(parseEvent(disabled))).toBe(JSON.stringify(disabled));
    expect(disabled.data).toEqual({
      webhook_id: 'wh_1234567890',
      url: 'https://yourapp.com/webhooks/inbox',
      reason: 'failing',
      disabled_at: '2025-01-20T10:30:00Z',
    });
  });

  it('is deeply frozen, so no test or service can change the shared fixture', () => {
    const action: MessageActionEvent = exampleEvents['message.action'];
    expect(Object.isFrozen(exampleEvents)).toBe(true);
    expect(Object.isFrozen(action.data.action_data)).toBe(true);
    expect(() => {
      (action.data as { action: string }).action = 'cancel';
    }).toThrow(TypeError);
    const copy = structuredClone(action);
    copy.data.action = 'cancel';
    expect(parseEvent(copy).type).toBe('message.action');
  });

  it('is typed per event type', () => {
    // Compile-time checks (tsc runs over the specs): each entry has its own narrow type.
    const read: EventOfType<'message.read'> = exampleEvents['message.read'];
    const readAt: string = read.data.read_at;
    // @ts-expect-error a read event has no delivered_at
    void read.data.delivered_at;
    const failed = exampleEvents['message.failed'];
    const code: string = failed.data.error_code;
    const reason: 'failing' | 'gone' = exampleEvents['webhook.disabled'].data.reason;
    // @ts-expect-error a webhook.disabled event has no message_id
    void exampleEvents['webhook.disabled'].data.message_id;
    expect([readAt, code, reason]).toEqual(['2025-01-15T10:25:15Z', 'recipient_unreachable', 'failing']);
  });
});
