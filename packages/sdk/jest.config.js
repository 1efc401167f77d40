import { jestConfig } from '../../jest.base.js';

// The end-to-end specs boot the real API and dispatcher on per-file databases cloned from the
// migrated template that this global setup maintains.
export default jestConfig({ globalSetup: '<rootDir>/../testing/dist/global-setup.js' });
