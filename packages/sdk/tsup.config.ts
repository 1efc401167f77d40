import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  // One entry per subpath export, so `@inbox/sdk` never loads Express or Nest, and `@inbox/sdk/web`
  // never loads node:crypto.
  entry: {
    index: 'src/index.ts',
    // `@inbox/sdk` under the edge runtimes' export conditions (package.json): Web Crypto only.
    edge: 'src/edge.ts',
    express: 'src/express/index.ts',
    nestjs: 'src/nestjs/index.ts',
    web: 'src/web/index.ts',
  },
  format: ['esm', 'cjs'],
  // Shared code (RawBodyError, the client's errors) in shared chunks, for CJS too: one class per
  // format, so `instanceof` holds across entry points.
  splitting: true,
  // @inbox/signing is a dependency, which tsup leaves external: its WebhookVerificationError is the
  // one class both packages throw, so `instanceof` holds whichever package a caller imports it from
  // (bundling it would copy the class). @inbox/events is bundled; zod stays a dependency.
  noExternal: ['@inbox/events'],
  dts: {
    // Inline @inbox/events' types too, so the published .d.ts imports only its dependencies.
    resolve: ['@inbox/events'],
    // tsup's d.ts build sets `baseUrl`, which TypeScript 6 rejects as deprecated unless told otherwise.
    compilerOptions: { ignoreDeprecations: '6.0' },
  },
  define: { __SDK_VERSION__: JSON.stringify(version) },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
