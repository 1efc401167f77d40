import { jestConfig } from '../../jest.base.js';

// Delivery tests wait on real retry schedules (1 s steps) and restart processes: give them room.
export default jestConfig({ globalSetup: '<rootDir>/../../packages/testing/dist/global-setup.js', testTimeout: 30_000 });
