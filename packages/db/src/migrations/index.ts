import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';

/** Every migration, in order. Listed explicitly so bundlers and ESM need no glob loading. */
export const MIGRATIONS = [InitialSchema1764000000000];
