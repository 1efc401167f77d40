import { EVENT_TYPES, MESSAGE_EVENT_TYPES, eventJsonSchema, webhookEventJsonSchema } from './index.js';

type Schema = {
  type?: string;
  const?: unknown;
  pattern?: string;
  format?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
};

describe('webhookEventJsonSchema', () => {
  const schema = webhookEventJsonSchema() as { $schema?: string; oneOf?: Schema[]; title?: string };
  const variants = schema.oneOf ?? [];

  it('is a draft 2020-12 oneOf of every envelope, in EVENT_TYPES order', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('Inbox webhook event');
    expect(variants.map((variant) => variant.properties?.type?.const)).toEqual([...EVENT_TYPES]);
  });

  it.each(EVENT_TYPES.map((type, index) => [type, index] as const))('%s: closed envelope', (_type, index) => {
    const variant = variants[index];
    expect(variant?.type).toBe('object');
    expect(variant?.required).toEqual(['id', 'type', 'created_at', 'data']);
    expect(variant?.additionalProperties).toBe(false);
    expect(variant?.properties?.id?.pattern).toBe('^evt_[A-Za-z0-9_-]+$');
    expect(variant?.properties?.created_at?.format).toBe('date-time');
  });

  it.each(MESSAGE_EVENT_TYPES.map((type, index) => [type, index] as const))('%s: open data', (_type, index) => {
    const data = variants[index]?.properties?.data;
    expect(data?.type).toBe('object');
    expect(data?.additionalProperties).toEqual({});
    expect(data?.required).toEqual(expect.arrayContaining(['message_id', 'to']));
    expect(data?.properties?.to?.pattern).toBe('^\\+[1-9][0-9]{7,14}$');
  });

  it('lists the required data fields of each type', () => {
    expect(variants.map((variant) => variant.properties?.data?.required)).toEqual([
      ['message_id', 'to', 'delivered_at', 'device_id'],
      ['message_id', 'to', 'read_at', 'device_id'],
      ['message_id', 'to', 'error_code', 'error_message', 'failed_at'],
      ['message_id', 'to', 'action', 'action_data', 'clicked_at'],
      ['webhook_id', 'url', 'reason', 'disabled_at'],
    ]);
    const actionData = variants[3]?.properties?.data?.properties?.action_data;
    expect(actionData?.required).toEqual(['button_id']);
    expect(actionData?.properties?.custom_data?.type).toBe('object');
  });

  it('webhook.disabled: open data, a wh_ id and the reasons as an enum', () => {
    const data = variants[4]?.properties?.data as Schema & { properties: Record<string, Schema & { enum?: string[] }> };
    expect(data.additionalProperties).toEqual({});
    expect(data.properties.webhook_id?.pattern).toBe('^wh_[A-Za-z0-9_-]+$');
    expect(data.properties.reason?.enum).toEqual(['failing', 'gone']);
    expect(data.properties.disabled_at?.format).toBe('date-time');
  });

  it('is plain JSON and a fresh object each call', () => {
    const first = webhookEventJsonSchema();
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    (first as { title?: string }).title = 'changed';
    expect((webhookEventJsonSchema() as { title?: string }).title).toBe('Inbox webhook event');
  });
});

describe('eventJsonSchema', () => {
  it.each(EVENT_TYPES.map((type, index) => [type, index] as const))('%s: the envelope of that type alone, titled', (type, index) => {
    const { $schema, title, description, ...schema } = eventJsonSchema(type) as Record<string, unknown>;
    expect($schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(title).toBe(`Inbox ${type} event`);
    expect(description).toEqual(expect.any(String));
    const oneOf = (webhookEventJsonSchema() as { oneOf: unknown[] }).oneOf;
    expect(schema).toEqual(oneOf[index]);
  });
});
