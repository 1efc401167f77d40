import { exampleEvents } from '@inbox/events';
import { startApi, type Harness } from './support/harness.js';

describe('OpenAPI at /docs', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startApi('api_openapi');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('serves the document generated from the code, with every route', async () => {
    const res = await h.http().get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const routes = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /v1/webhooks',
        'GET /v1/webhooks',
        'GET /v1/webhooks/{id}',
        'PUT /v1/webhooks/{id}',
        'DELETE /v1/webhooks/{id}',
        'GET /v1/webhooks/{id}/secret',
        'POST /v1/webhooks/test',
        'GET /v1/webhooks/{id}/logs',
        'GET /v1/events/{id}',
        'POST /internal/v1/accounts',
        'POST /internal/v1/accounts/{accountId}/keys',
        'DELETE /internal/v1/accounts/{accountId}/keys/{keyId}',
        'POST /internal/v1/events',
        'POST /internal/v1/events/batch',
      ]),
    );
    expect(res.body.components.securitySchemes).toMatchObject({ api_key: { type: 'http', scheme: 'bearer' }, internal_token: { type: 'http', scheme: 'bearer' } });
  });

  it("carries the docs' examples and the zod schemas' rules", async () => {
    const { body } = await h.http().get('/docs-json').expect(200);
    const schemas = body.components.schemas;
    expect(schemas.CreateWebhookRequest.example).toEqual({
      url: 'https://yourapp.com/webhooks/inbox',
      events: ['message.delivered', 'message.read', 'message.failed'],
      description: 'Production webhook endpoint',
    });
    expect(schemas.CreateWebhookRequest.additionalProperties).toBe(false);
    expect(schemas.CreateWebhookRequest.properties.url.maxLength).toBe(2048);
    expect(schemas.TestWebhookRequest.example).toEqual({ webhook_id: 'wh_1234567890', event_type: 'message.delivered' });
    expect(schemas.IngestEventRequest.example).toMatchObject({ type: 'message.delivered', data: exampleEvents['message.delivered'].data });
    expect(schemas.Error.properties.error.required).toEqual(['code', 'message']);
    expect(body.paths['/v1/webhooks/{id}'].get.responses['404'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(body.paths['/v1/webhooks'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['limit', 'cursor']);
    expect(body.paths['/v1/webhooks/{id}/logs'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['status', 'event_type', 'since', 'until', 'limit', 'cursor']),
    );
  });

  it('serves the UI', async () => {
    const res = await h.http().get('/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger');
  });
});
