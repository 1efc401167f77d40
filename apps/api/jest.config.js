import { jestConfig } from '../../jest.base.js';

export default jestConfig({ globalSetup: '<rootDir>/../../packages/testing/dist/global-setup.js' });
