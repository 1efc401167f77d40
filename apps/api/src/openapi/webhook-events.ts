import type { OpenAPIObject, ParameterObject, PathItemObject, SchemaObject } from '@nestjs/swagger';
import { exampleEvents, isEventType, webhookEventJsonSchema } from '@inbox/events';
import {
  HEADER_INBOX_DELIVERY_ATTEMPT,
  HEADER_INBOX_EVENT_ID,
  HEADER_INBOX_EVENT_TYPE,
  HEADER_INBOX_SIGNATURE,
  HEADER_WEBHOOK_ID,
  HEADER_WEBHOOK_SIGNATURE,
  HEADER_WEBHOOK_TIMESTAMP,
} from '@inbox/signing';

// What Inbox sends to a customer's endpoint: one JSON Schema component per event type (from
// @inbox/events' JSON Schema, the schemas the API validates ingested events with), a `WebhookEvent`
// union of them, and OpenAPI 3.1 `webhooks` entries with the signed headers. Every event type in
// @inbox/events is here without a change to this file.

export const WEBHOOKS_TAG = 'webhook events';

/** `message.delivered` → `MessageDeliveredEvent`. */
export function eventSchemaName(type: string): string {
  return `${type.replace(/(?:^|[._-])([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Event`;
}

const header = (name: string, description: string, schema: SchemaObject, example: string | number): ParameterObject => ({
  name,
  in: 'header',
  required: true,
  description,
  schema,
  example,
});

/** The headers of every delivery, as @inbox/signing's buildDeliveryHeaders writes them. */
const DELIVERY_HEADERS: Record<string, ParameterObject> = {
  WebhookId: header(
    HEADER_WEBHOOK_ID,
    'The event id (`evt_…`), the same on every attempt and resend of the event: deduplicate on it.',
    { type: 'string' },
    'evt_1234567890',
  ),
  WebhookTimestamp: header(
    HEADER_WEBHOOK_TIMESTAMP,
    'When this attempt was signed, in unix seconds. Refuse a request more than 5 minutes away from your clock (replays).',
    { type: 'integer', minimum: 0 },
    1736936703,
  ),
  WebhookSignature: header(
    HEADER_WEBHOOK_SIGNATURE,
    '[Standard Webhooks](https://www.standardwebhooks.com) signature: `v1,<base64 HMAC-SHA256>` of `<webhook-id>.<webhook-timestamp>.<raw body>`, keyed with the base64-decoded part of the `whsec_…` secret. ' +
      'Several space-separated signatures while a rotated secret still signs: accept the request if any one matches.',
    { type: 'string' },
    'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  ),
  InboxSignature: header(
    HEADER_INBOX_SIGNATURE,
    '`sha256=<hex HMAC-SHA256>` of the raw body, keyed with the whole secret string (`whsec_…` included). Carries no timestamp: prefer `webhook-signature`.',
    { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' },
    'sha256=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
  ),
  InboxEventId: header(HEADER_INBOX_EVENT_ID, 'The event id, as in `webhook-id`.', { type: 'string' }, 'evt_1234567890'),
  InboxEventType: header(HEADER_INBOX_EVENT_TYPE, "The event's `type`.", { type: 'string' }, 'message.delivered'),
  InboxDeliveryAttempt: header(
    HEADER_INBOX_DELIVERY_ATTEMPT,
    'The attempt number, from 1; a retry sends the same body and event id with the next number.',
    { type: 'integer', minimum: 1 },
    1,
  ),
};

function webhookOperation(type: string, schemaName: string): PathItemObject {
  return {
    post: {
      operationId: `receive${schemaName}`,
      summary: `The ${type} event`,
      description:
        `What Inbox POSTs to each enabled webhook subscribed to \`${type}\`. Verify the signature over the raw body before parsing it ` +
        '(`@inbox/sdk` does: `constructEvent`), answer 2xx within 10 s, and do the work after, deduplicating on the event id.',
      tags: [WEBHOOKS_TAG],
      // Authenticated by its signature headers, not by a credential of yours.
      security: [],
      parameters: Object.keys(DELIVERY_HEADERS).map((name) => ({ $ref: `#/components/parameters/${name}` })),
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } } },
      responses: {
        '2XX': { description: 'Received: the delivery is done.' },
        '4XX': { description: 'Refused: Inbox retries on the schedule (immediately, 30 s, 2 m, 8 m, 32 m, 2 h), as it does for any answer but a 2xx and for no answer within 10 s.' },
        '5XX': { description: 'Failed: retried on the schedule, like a 4xx.' },
      },
    },
  };
}

/** Adds the event payload schemas, the `WebhookEvent` union and the `webhooks` entries to `document`, in place. */
export function addWebhookEvents(document: OpenAPIObject): void {
  const { title, description, oneOf = [] } = webhookEventJsonSchema();
  const components = (document.components ??= {});
  const schemas = (components.schemas ??= {});
  components.parameters = { ...components.parameters, ...DELIVERY_HEADERS };
  const mapping: Record<string, string> = {};
  document.webhooks ??= {};
  for (const variant of oneOf as SchemaObject[]) {
    const type = (variant.properties?.type as { const?: unknown } | undefined)?.const;
    if (typeof type !== 'string' || !isEventType(type)) throw new Error(`@inbox/events' JSON Schema has a variant without a known type const: ${JSON.stringify(variant.properties?.type)}`);
    const name = eventSchemaName(type);
    schemas[name] = { title: type, ...variant, example: exampleEvents[type] };
    mapping[type] = `#/components/schemas/${name}`;
    document.webhooks[type] = webhookOperation(type, name);
  }
  schemas.WebhookEvent = {
    title,
    description,
    oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
    discriminator: { propertyName: 'type', mapping },
    example: exampleEvents['message.delivered'],
  };
}
