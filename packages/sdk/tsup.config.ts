import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  // One entry per subpath export, so `@inbox/sdk` never loads Express or Nest, and `@inbox/sdk/web`
  // never loads node:crypto.
  entry: {
    index: 'src/index.ts',
    express: 'src/express/index.ts',
    nestjs: 'src/nestjs/index.ts',
    web: 'src/web/index.ts',
  },
  format: ['esm', 'cjs'],
  // Shared code (WebhookVerificationError, the client) in shared chunks, for CJS too: one class per
  // format, so `instanceof` holds across entry points.
  splitting: true,
  // The workspace packages are not published on their own: bundle them (zod stays a dependency).
  noExternal: ['@inbox/events', '@inbox/signing'],
  dts: {
    // Inline the bundled packages' types too, so the published .d.ts names no @inbox/* import:
    // @inbox/events through tsup's resolver, @inbox/signing from its source (mapped below), since
    // that resolver reads no package.json `exports` (no `/web` subpath) and would leave out the
    // chunk that signing's two built .d.ts entries share.
    resolve: ['@inbox/events'],
    compilerOptions: {
      // tsup's d.ts build sets `baseUrl`, which TypeScript 6 rejects as deprecated unless told otherwise.
      ignoreDeprecations: '6.0',
      // The mapped source lies outside this package.
      rootDir: '..',
      paths: {
        '@inbox/signing': ['../signing/src/index.ts'],
        '@inbox/signing/web': ['../signing/src/web.ts'],
      },
    },
  },
  // `node:crypto`, not `crypto` (which the bundled @inbox/signing build says): Deno resolves
  // built-ins only by their `node:` name.
  removeNodeProtocol: false,
  esbuildOptions(options) {
    options.alias = { ...options.alias, crypto: 'node:crypto' };
  },
  define: { __SDK_VERSION__: JSON.stringify(version) },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
