import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exampleEvents } from '@inbox/events';
import { startPlatform, type Platform } from './support/platform.js';
import { waitFor } from './support/wait.js';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: Array<{ key: string; value: OtlpValue }>;
}
interface OtlpExport {
  resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: OtlpValue }> }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
}

/** A span as the collector got it, with its service's name and its attributes as a plain object. */
interface Received {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  attributes: Record<string, string | number>;
}

const valueOf = (v: OtlpValue) => v.stringValue ?? Number(v.intValue);

/** A local OTLP/HTTP collector: POST /v1/traces with JSON bodies (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`). */
async function startCollector(): Promise<{ url: string; spans: Received[]; close: () => Promise<void> }> {
  const spans: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
        for (const rs of body.resourceSpans) {
          const service = String(valueOf(rs.resource.attributes.find((a) => a.key === 'service.name')!.value));
          for (const s of rs.scopeSpans.flatMap((ss) => ss.spans)) {
            const attributes = Object.fromEntries((s.attributes ?? []).map((a) => [a.key, valueOf(a.value)]));
            spans.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, attributes });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('one trace from ingest to delivery (both built apps, a local OTLP collector)', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let platform: Platform;

  beforeAll(async () => {
    collector = await startCollector();
    platform = await startPlatform('dispatch_tracing', {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'always_on',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
  }, 25_000);

  afterAll(async () => {
    await platform?.close();
    await collector?.close();
  });

  it('links the ingest request, the enqueue, the delivery attempt and its POST in one trace, with the inbox attributes', async () => {
    const eventId = await platform.client.ingest({ account_id: platform.accountId, type: 'message.read', data: exampleEvents['message.read'].data });
    const attempt = await waitFor('the attempt span', () => collector.spans.find((s) => s.name === 'inbox.delivery_attempt' && s.attributes['inbox.event_id'] === eventId), { timeoutMs: 10_000 });
    const inTrace = () => collector.spans.filter((s) => s.traceId === attempt.traceId);
    const byId = (id: string | undefined) => inTrace().find((s) => s.spanId === id);
    // The POST's span (undici) is the attempt's child; wait for the API's spans to be exported too.
    const post = await waitFor('the POST span', () => inTrace().find((s) => s.parentSpanId === attempt.spanId && s.service === 'inbox-dispatcher'), { timeoutMs: 5_000 });
    const enqueue = await waitFor('the enqueue span', () => byId(attempt.parentSpanId));
    const ingest = await waitFor('the ingest request span', () => byId(enqueue.parentSpanId));

    expect([ingest.service, enqueue.service, attempt.service, post.service]).toEqual(['inbox-api', 'inbox-api', 'inbox-dispatcher', 'inbox-dispatcher']);
    expect(enqueue.name).toBe('inbox.enqueue');
    expect(ingest.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.path': '/internal/v1/events', 'http.response.status_code': 202 });
    expect(enqueue.attributes).toMatchObject({ 'inbox.account_id': platform.accountId, 'inbox.event_id': eventId, 'inbox.event_type': 'message.read' });
    expect(attempt.attributes).toMatchObject({
      'inbox.account_id': platform.accountId,
      'inbox.webhook_id': expect.stringMatching(/^wh_/),
      'inbox.event_id': eventId,
      'inbox.event_type': 'message.read',
      'inbox.delivery_attempt': 1,
      'http.response.status_code': 200,
    });
    expect(post.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 200 });
    // Postgres and Redis calls are traced too (pg, ioredis), in the same trace.
    const systems = new Set(inTrace().map((s) => s.attributes['db.system.name'] ?? s.attributes['db.system']));
    expect([systems.has('postgresql'), systems.has('redis')]).toEqual([true, true]);
  });

  it("gives each micro-batched request's event its own request's trace", async () => {
    // Two callers' trace contexts (W3C traceparent); their concurrent single ingests share one store.
    const traces = ['1', '2'].map((n) => n.repeat(32));
    const ids = await Promise.all(
      traces.map(async (traceId) => {
        const res = await fetch(`${platform.api.url}/internal/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${platform.world.env.INBOX_INTERNAL_TOKEN}`, 'content-type': 'application/json', traceparent: `00-${traceId}-${'a'.repeat(16)}-01` },
          body: JSON.stringify({ account_id: platform.accountId, type: 'message.read', data: exampleEvents['message.read'].data }),
        });
        return ((await res.json()) as { id: string }).id;
      }),
    );
    const attemptOf = (eventId: string) => collector.spans.find((s) => s.name === 'inbox.delivery_attempt' && s.attributes['inbox.event_id'] === eventId);
    const enqueueOf = (eventId: string) => collector.spans.find((s) => s.name === 'inbox.enqueue' && s.attributes['inbox.event_id'] === eventId);
    const attempts = await waitFor('both attempt spans', () => (ids.every(attemptOf) ? ids.map((id) => attemptOf(id)!) : undefined), { timeoutMs: 10_000 });
    // Each app exports on its own schedule: the API's enqueue spans may come after the dispatcher's.
    const enqueues = await waitFor('both enqueue spans', () => (ids.every(enqueueOf) ? ids.map((id) => enqueueOf(id)!) : undefined), { timeoutMs: 10_000 });
    expect(attempts.map((a) => a.traceId)).toEqual(traces);
    expect(enqueues.map((e) => [e.traceId, e.spanId])).toEqual(attempts.map((a) => [a.traceId, a.parentSpanId]));
  });
});
