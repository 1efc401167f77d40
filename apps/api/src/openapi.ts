import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI generated from the controllers and their zod schemas: UI at /docs, JSON at /docs-json. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Inbox Webhooks API')
    .setDescription(
      'Register HTTPS endpoints, send test events and read delivery logs (`/v1`, API key), and ingest events or provision accounts (`/internal/v1`, service token). ' +
        'Errors are `{"error": {"code", "message", "details"?}}`. Lists take `?limit=` (1–250, default 50) and `?cursor=` and answer `{"data": [...], "next_cursor"}`. ' +
        'POSTs accept an `Idempotency-Key` header: a repeat within 24 h gets the first answer.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key: inbox_sk_…' }, 'api_key')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'INBOX_INTERNAL_TOKEN' }, 'internal_token')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
