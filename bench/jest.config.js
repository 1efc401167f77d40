import { jestConfig } from '../jest.base.js';

// The quick bench boots real processes and drives real Postgres and Redis: give it room.
export default jestConfig({ testTimeout: 180_000 });
