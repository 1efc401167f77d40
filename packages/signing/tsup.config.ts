import { defineConfig } from 'tsup';

export default defineConfig({
  // `@inbox/signing/web` is its own entry so that importing it never loads node:crypto.
  entry: { index: 'src/index.ts', web: 'src/web.ts' },
  format: ['esm', 'cjs'],
  // What both entries use (WebhookVerificationError, the header checks) in shared chunks, for CJS
  // too: one class per format, so `instanceof` holds whichever entry threw it.
  splitting: true,
  // tsup's d.ts build sets `baseUrl`, which TypeScript 6 rejects as deprecated unless told otherwise.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  // Keep `node:crypto` as written (tsup would strip it to `crypto`): Deno resolves built-ins only by
  // their `node:` name, and @inbox/sdk loads this build as it is.
  removeNodeProtocol: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
