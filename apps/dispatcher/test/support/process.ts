import { fileURLToPath } from 'node:url';

export { kill, runApp, type RunningProcess } from '@inbox/testing';

/** The built dispatcher (`pnpm test` builds it first). */
export const DISPATCHER_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
