import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type StandardSchemaConverter, type TagObject } from '@nestjs/swagger';
import { applyConventions, pruneComponents, operationsOf } from './conventions.js';
import { addExamples } from './examples.js';
import { addWebhookEvents, WEBHOOKS_TAG } from './webhook-events.js';

/**
 * Two OpenAPI 3.1 documents generated from the controllers and their zod schemas: the customer API
 * (`/v1`, with the webhook payloads customers receive) and the internal one (`/internal/v1`, for
 * the team's services). Each route lands in one by its path, so a new route needs no change here.
 * Written to the repository by `pnpm openapi` (see write-documents.ts).
 */
export type Audience = 'public' | 'internal';

export const OPENAPI_DOCUMENTS = {
  public: { prefix: '/v1/', ui: 'docs', json: 'docs-json', yaml: 'docs-yaml', file: 'openapi.json' },
  internal: { prefix: '/internal/v1/', ui: 'docs/internal', json: 'docs/internal-json', yaml: 'docs/internal-yaml', file: 'openapi.internal.json' },
} as const satisfies Record<Audience, { prefix: string; ui: string; json: string; yaml: string; file: string }>;

const CONVENTIONS =
  'Errors are `{"error": {"code", "message", "details"?}}`; `details` names each bad field. ' +
  'Lists take `?limit=` (1–250, default 50) and `?cursor=` and answer `{"data": [...], "next_cursor"}`. ' +
  'POSTs accept an `Idempotency-Key` header: a repeat within 24 h gets the first answer. ' +
  'While the database is unavailable, requests answer 503 with `Retry-After`.';

/** Relative to the document: where /docs is served, e.g. http://localhost:3000 under ./scripts/dev.sh. */
const HERE = { url: '/', description: 'The server this document is served from' };

const INFO: Record<Audience, Pick<OpenAPIObject, 'info' | 'servers'>> = {
  public: {
    info: {
      title: 'Inbox Webhooks API',
      version: '1',
      description:
        'Register HTTPS endpoints, send them test events and read their delivery logs, with an API key (`Authorization: Bearer inbox_sk_…`). ' +
        `${CONVENTIONS} Each API key may make a number of requests a minute (\`X-RateLimit-*\` headers); past it, 429 with \`Retry-After\`. ` +
        'What Inbox sends to your endpoints is under `webhooks`, with the schema of each event (`components.schemas.WebhookEvent`).',
    },
    servers: [
      { url: 'https://api.getinbox.app', description: 'Production' },
      HERE,
    ],
  },
  internal: {
    info: {
      title: 'Inbox Webhooks internal API',
      version: '1',
      description: `For the team's services, with the service token (\`Authorization: Bearer $INBOX_INTERNAL_TOKEN\`): provision accounts and API keys, and report message events for delivery. ${CONVENTIONS}`,
    },
    servers: [
      { url: 'http://inbox-api-internal:8081', description: 'Inside the cluster: the inbox-api-internal Service (INTERNAL_PORT)' },
      HERE,
    ],
  },
};

/** Descriptions of the tags the controllers use (`@ApiTags`); redocly wants one for each. */
export const TAG_DESCRIPTIONS: Record<string, string> = {
  webhooks: 'Your endpoints: register, change, test and delete them, and read their signing secrets.',
  logs: 'What happened to each event: the delivery attempts of a webhook, and an event with its deliveries.',
  [WEBHOOKS_TAG]: 'The signed requests Inbox sends to your endpoints, one per event.',
  'event-types': 'The event types a webhook may subscribe to, each with its JSON Schema and an example.',
  listen: 'Listen sessions (`inbox listen`): your events streamed to a command line that forwards them to a local server, signed like real deliveries.',
  accounts: 'Customer accounts and their API keys.',
  events: "Message events to deliver to the subscribed webhooks of an account.",
};

/**
 * zod → JSON Schema draft 2020-12, OpenAPI 3.1's own dialect (Nest's default target is OpenAPI
 * 3.0's, where nullable types and `const` are spelt differently); named schemas (`.meta({ id })`)
 * become components.
 */
const toJsonSchema2020: StandardSchemaConverter = (schema, { schemaType }) => {
  const standard = (schema as { '~standard'?: { jsonSchema?: Record<string, (options: { target: string }) => Record<string, unknown>> } })['~standard'];
  const convert = standard?.jsonSchema?.[schemaType];
  if (!convert) return undefined;
  const { $schema: _dialect, $defs, ...rest } = convert({ target: 'draft-2020-12' });
  return { schema: rest, components: $defs as Record<string, unknown> | undefined };
};

/** Both documents of the app's routes. Needs the module graph only: `preview: true` apps do (see preview.ts). */
export function buildOpenApiDocuments(app: INestApplication): Record<Audience, OpenAPIObject> {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key: `inbox_sk_…`' }, 'api_key')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The service token, `INBOX_INTERNAL_TOKEN`' }, 'internal_token')
    .build();
  const generated = SwaggerModule.createDocument(app, config, { standardSchemaConverter: toJsonSchema2020 });
  return { public: audienceDocument(generated, 'public'), internal: audienceDocument(generated, 'internal') };
}

function audienceDocument(generated: OpenAPIObject, audience: Audience): OpenAPIObject {
  const { prefix } = OPENAPI_DOCUMENTS[audience];
  const document: OpenAPIObject = structuredClone({
    openapi: generated.openapi,
    ...INFO[audience],
    paths: Object.fromEntries(Object.entries(generated.paths).filter(([path]) => path.startsWith(prefix))),
    components: generated.components,
  });
  applyConventions(document, { rateLimited: audience === 'public' });
  // The event schemas first: a body refers to them (an event's `payload`) and takes their examples.
  if (audience === 'public') addWebhookEvents(document);
  addExamples(document);
  pruneComponents(document);
  const { paths, webhooks, components, ...head } = document;
  return { ...head, tags: tagsOf(document), paths, ...(webhooks && { webhooks }), components };
}

/** The tags the operations use, in order of first use, with their descriptions. */
function tagsOf(document: OpenAPIObject): TagObject[] {
  const operations = [...operationsOf(document), ...operationsOf({ paths: document.webhooks ?? {} })];
  const names = [...new Set(operations.flatMap(({ operation }) => operation.tags ?? []))];
  return names.map((name) => (TAG_DESCRIPTIONS[name] ? { name, description: TAG_DESCRIPTIONS[name] } : { name }));
}

/** Serves the customer document at /docs (JSON at /docs-json) and the internal one at /docs/internal (JSON at /docs/internal-json). */
export function setupOpenApi(app: INestApplication): void {
  const documents = buildOpenApiDocuments(app);
  for (const audience of ['internal', 'public'] as const) {
    const { ui, json, yaml } = OPENAPI_DOCUMENTS[audience];
    SwaggerModule.setup(ui, app, documents[audience], { jsonDocumentUrl: json, yamlDocumentUrl: yaml });
  }
}
