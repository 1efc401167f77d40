import { connect } from 'node:net';
import { listenInternal } from '../src/common/internal-listener.js';
import { createAccount, internalAuth, startApi, withoutRequestId, type Harness } from './support/harness.js';

/** A fetch to the internal listener: status, body (JSON when it is) and the request id. */
async function internalFetch(base: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  return { status: res.status, body: json, requestId: res.headers.get('x-request-id') };
}

const newAccount = (name: string): RequestInit => ({
  method: 'POST',
  headers: { ...internalAuth, 'Content-Type': 'application/json' },
  body: JSON.stringify({ name }),
});

describe('INTERNAL_PORT: the internal routes on a listener of their own', () => {
  let h: Harness;
  let internal: string;
  let closed = false;

  beforeAll(async () => {
    h = await startApi('api_internal_port', { INTERNAL_PORT: '0' });
    internal = await listenInternal(h.app, h.config.internalPort!, '127.0.0.1');
  });

  afterAll(async () => {
    if (!closed) await h?.close();
  });

  it('serves /internal/v1 on the internal port, with the service token', async () => {
    const created = await internalFetch(internal, '/internal/v1/accounts', newAccount('Acme'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Acme', api_key: expect.stringMatching(/^inbox_sk_/) });
    const withoutToken = await internalFetch(internal, '/internal/v1/accounts', { ...newAccount('Acme'), headers: { 'Content-Type': 'application/json' } });
    expect(withoutToken.status).toBe(401);
  });

  it('answers /internal/v1 on the public port with the usual 404, as a route that does not exist', async () => {
    const res = await h.http().post('/internal/v1/accounts').set(internalAuth).send({ name: 'Acme' }).expect(404);
    const unknown = await h.http().post('/internal/v1/no-such-route').set(internalAuth).send({ name: 'Acme' }).expect(404);
    expect(res.headers['x-request-id']).toBe(res.body.error.request_id);
    expect(res.body.error.code).toBe('not_found');
    expect(withoutRequestId(res.body)).toEqual(withoutRequestId(unknown.body));
  });

  it('answers the public routes on the internal port with 404, a valid API key or not', async () => {
    const account = await createInternally(internal, 'Public');
    await h.http().get('/v1/webhooks').set(account.auth).expect(200);
    const res = await internalFetch(internal, '/v1/webhooks', { headers: account.auth });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', request_id: res.requestId });
    expect((await internalFetch(internal, '/docs-json')).status).toBe(404);
    expect((await internalFetch(internal, '/dashboard/')).status).toBe(404);
  });

  it('serves each OpenAPI document where its routes are: the internal one on the internal port only', async () => {
    const doc = await internalFetch(internal, '/docs/internal-json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toContain('/internal/v1/accounts');
    expect((await internalFetch(internal, '/docs/internal')).status).toBe(200);
    await h.http().get('/docs/internal-json').expect(404);
    await h.http().get('/docs/internal').expect(404);
    await h.http().get('/docs-json').expect(200);
  });

  it('answers health probes on both ports', async () => {
    await h.http().get('/health/live').expect(200);
    expect((await internalFetch(internal, '/health/live')).status).toBe(200);
    expect((await internalFetch(internal, '/health/ready')).body).toMatchObject({ status: 'ok' });
  });

  it("answers a request Node cannot parse in the API's error shape, as PORT does", async () => {
    const { port } = new URL(internal);
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\nnot a header\r\n\r\n'));
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('"code":"bad_request"');
  });

  it('closes the internal listener with the app', async () => {
    closed = true;
    await h.close();
    await expect(fetch(`${internal}/health/live`)).rejects.toThrow();
  });
});

describe('INTERNAL_PORT unset', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startApi('api_internal_port_unset');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('serves /internal/v1 and its docs on the public port, as before', async () => {
    expect(h.config.internalPort).toBeUndefined();
    const account = await createAccount(h);
    await h.http().get('/v1/webhooks').set(account.auth).expect(200);
    await h.http().get('/docs/internal-json').expect(200);
    await h.http().get('/docs-json').expect(200);
  });
});

async function createInternally(base: string, name: string): Promise<{ auth: { Authorization: string } }> {
  const res = await internalFetch(base, '/internal/v1/accounts', newAccount(name));
  expect(res.status).toBe(201);
  return { auth: { Authorization: `Bearer ${res.body.api_key}` } };
}
