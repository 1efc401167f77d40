// Runs after tsup: writes the JSON Schema of a webhook event next to the bundles, from the built code,
// so `@inbox/events/webhook-event.schema.json` always matches the zod schemas it was built from.
import { writeFileSync } from 'node:fs';
import { webhookEventJsonSchema } from '../dist/index.js';

const target = new URL('../dist/webhook-event.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(webhookEventJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
