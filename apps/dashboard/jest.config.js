import { jestConfig } from '../../jest.base.js';

const base = jestConfig();
const swc = (tsx) => [
  '@swc/jest',
  {
    jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx }, transform: { react: { runtime: 'automatic' } } },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

// Two kinds of test, one runner: components with logic in jsdom (src/**/*.spec.tsx), and the flows
// in Debian's Chromium against the built API, dispatcher and dashboard (test/*.browser.spec.ts).
export default {
  reporters: base.reporters,
  // Browser flows wait on real deliveries and the log's 5 s refresh.
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'components',
      testEnvironment: 'jsdom',
      extensionsToTreatAsEsm: ['.ts', '.tsx'],
      transform: { '^.+\\.ts$': swc(false), '^.+\\.tsx$': swc(true) },
      moduleNameMapper: { '\\.module\\.css$': 'identity-obj-proxy', '\\.css$': '<rootDir>/test/support/style-stub.cjs' },
      setupFiles: ['<rootDir>/test/support/jsdom-setup.cjs'],
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.spec.tsx'],
    },
    {
      displayName: 'browser',
      testEnvironment: 'node',
      extensionsToTreatAsEsm: ['.ts'],
      transform: { '^.+\\.ts$': swc(false) },
      moduleNameMapper: base.moduleNameMapper,
      testMatch: ['<rootDir>/test/**/*.browser.spec.ts'],
      globalSetup: '<rootDir>/../../packages/testing/dist/global-setup.js',
    },
  ],
};
