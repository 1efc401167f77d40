// `pnpm db:reseal` (node dist/reseal-cli.js): after INBOX_SECRET_KEY rotated, re-seals everything
// sealed under INBOX_SECRET_KEYS_PREVIOUS (or in clear) under the current key. Exits 1 when some
// value could not be opened: the key it needs is not configured, so do not drop any key yet.
import { loadResealConfig } from '@inbox/server';
import { createDataSource } from './data-source.js';
import { reseal } from './reseal.js';
import { SecretBox } from './secret-box.js';

async function main(): Promise<number> {
  const config = loadResealConfig();
  const dataSource = createDataSource(config.databaseUrl, 1);
  await dataSource.initialize();
  try {
    const report = await reseal(dataSource, new SecretBox(config.secretKey, config.previousSecretKeys), { log: console.log });
    if (Object.values(report).every((counts) => counts.unreadable === 0)) return 0;
    console.error('some values open with no configured key: add the key they were sealed with to INBOX_SECRET_KEYS_PREVIOUS and run again');
    return 1;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`reseal failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
