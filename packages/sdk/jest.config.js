import { jestConfig } from '../../jest.base.js';

const base = jestConfig();

export default jestConfig({
  // The end-to-end specs boot the real API and dispatcher on per-file databases cloned from the
  // migrated template that this global setup maintains.
  globalSetup: '<rootDir>/../testing/dist/global-setup.js',
  // The README's test example is a test file of its own (examples/webhooks.test.ts).
  testMatch: [...base.testMatch, '<rootDir>/examples/**/*.test.ts'],
  // The examples import "@inbox/sdk" as users do; run them against the source.
  moduleNameMapper: {
    '^@inbox/sdk$': '<rootDir>/src/index.ts',
    '^@inbox/sdk/(express|nestjs|web)$': '<rootDir>/src/$1/index.ts',
    ...base.moduleNameMapper,
  },
});
