// One jest setup for every package: ESM + @swc/jest (type-checking is `pnpm typecheck`'s job).
// Nest 12 is ESM-only, so tests run under --experimental-vm-modules (see each package's test script).
export function jestConfig(overrides = {}) {
  return {
    testEnvironment: 'node',
    // Integration tests boot apps and talk to real Postgres/Redis on shared 2-core machines: a
    // generous ceiling, never a performance assertion (those live in `pnpm bench`).
    testTimeout: 30_000,
    // The suites start servers, Redis clients and BullMQ workers: one handle a test leaves open must
    // not keep jest alive after the last test (CI would hang to its limit). Each file still closes
    // what it opened; this only guarantees the run ends.
    forceExit: true,
    extensionsToTreatAsEsm: ['.ts'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            target: 'es2022',
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            keepClassNames: true,
          },
          module: { type: 'es6' },
          sourceMaps: 'inline',
        },
      ],
    },
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    reporters: ['default', new URL('./scripts/lib/jest-summary-reporter.cjs', import.meta.url).pathname],
    ...overrides,
  };
}
