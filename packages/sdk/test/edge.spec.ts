import * as root from '../src/index.js';
import * as edge from '../src/edge.js';
import { FIXTURE } from './support/fixtures.js';

// `@inbox/sdk` under the edge runtimes' export conditions (workerd, worker, edge-light, deno,
// browser) is src/edge.ts. It must export what the Node.js build does, with the same types, so code
// written against `@inbox/sdk` runs (and type-checks) on either: this line compiles only if so.
const _sameTypes: [typeof root, typeof edge] = [edge, root];

describe('@inbox/sdk for edge runtimes (Web Crypto)', () => {
  it('exports every name the Node.js build exports, and no other', () => {
    expect(Object.keys(edge).sort()).toEqual(Object.keys(root).sort());
  });

  it('verifies with Web Crypto and signs test headers like the Node.js build', async () => {
    const now = () => FIXTURE.nowMs;
    const event = await edge.constructEventAsync(FIXTURE.body, new Headers(FIXTURE.headers), FIXTURE.secret, { now });
    expect(event).toEqual(root.constructEvent(FIXTURE.body, FIXTURE.headers, FIXTURE.secret, { now }));
    const options = { payload: FIXTURE.body, secret: FIXTURE.secret, timestamp: FIXTURE.nowMs / 1000 };
    expect(await edge.generateTestHeaders(options)).toEqual(await root.generateTestHeaders(options));
  });

  it.each(['constructEvent', 'verifySignature'] as const)('%s, which needs node:crypto, throws an error naming constructEventAsync', (name) => {
    const call = () => (edge[name] as (...args: unknown[]) => unknown)(FIXTURE.body, FIXTURE.headers, FIXTURE.secret);
    expect(call).toThrow(new RegExp(`^${name} needs node:crypto, .*constructEventAsync`));
  });

  it('shares the error classes with the Node.js build (one WebhookVerificationError, one Inbox client)', () => {
    expect(edge.WebhookVerificationError).toBe(root.WebhookVerificationError);
    expect(edge.Inbox).toBe(root.Inbox);
  });
});
