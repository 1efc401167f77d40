/**
 * @inbox/sdk for runtimes without node:crypto: what `@inbox/sdk` resolves to under the `workerd`,
 * `worker`, `edge-light`, `deno` and `browser` export conditions (Cloudflare Workers, Vercel and
 * Next.js edge, Deno, bundles for the browser). The same exports as the Node.js build, verifying with
 * Web Crypto; the two synchronous verifiers need node:crypto, so here they throw, naming their
 * asynchronous twin.
 */
import type { constructEvent as nodeConstructEvent, verifySignature as nodeVerifySignature } from './verify.js';

export * from './web/index.js';

function needsNodeCrypto(name: string): never {
  throw new Error(
    `${name} needs node:crypto, which this runtime does not have (@inbox/sdk loaded its Web Crypto build): ` +
      'use `await constructEventAsync(rawBody, headers, secret)`, which makes the same checks',
  );
}

export const constructEvent: typeof nodeConstructEvent = () => needsNodeCrypto('constructEvent');
export const verifySignature: typeof nodeVerifySignature = () => needsNodeCrypto('verifySignature');
