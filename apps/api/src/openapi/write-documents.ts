// `pnpm openapi`: writes apps/api/openapi.json and apps/api/openapi.internal.json from the code,
// with no database or Redis needed. The API's tests fail while the committed files are stale.
// `node dist/openapi/write-documents.js <dir>` writes the two files into <dir> instead.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMain } from '@inbox/server';
import { generateOpenApiDocuments, OPENAPI_FILES, serializeDocument } from './preview.js';

const outDir = process.argv[2];

runMain(async () => {
  const documents = await generateOpenApiDocuments();
  for (const audience of ['public', 'internal'] as const) {
    const committed = fileURLToPath(OPENAPI_FILES[audience]);
    const file = outDir ? join(outDir, basename(committed)) : committed;
    writeFileSync(file, serializeDocument(documents[audience]));
    console.log(`wrote ${file} (${Object.keys(documents[audience].paths).length} paths)`);
  }
});
