import { fileURLToPath } from 'node:url';

export { kill, runApp, runApps, type RunningProcess } from '@inbox/testing';

/** The built dispatcher (`pnpm test` builds it first). */
export const DISPATCHER_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** The built API (`pnpm test` builds the dispatcher's dependencies, @inbox/api among them, first). */
export const API_MAIN = fileURLToPath(new URL('../../../api/dist/main.js', import.meta.url));
