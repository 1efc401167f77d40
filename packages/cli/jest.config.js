import { jestConfig } from '../../jest.base.js';

export default jestConfig({
  // The end-to-end specs boot the real API and dispatcher on per-file databases cloned from the
  // migrated template that this global setup maintains; they run the built CLI (dist/main.js).
  globalSetup: '<rootDir>/../testing/dist/global-setup.js',
  // Each CLI call is a Node process of its own (~0.3 s idle; seconds on a loaded 2-core machine).
  testTimeout: 60_000,
});
