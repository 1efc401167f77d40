import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadApiConfig } from '@inbox/server';
import { AppModule } from '../app.module.js';
import { buildOpenApiDocuments, OPENAPI_DOCUMENTS, type Audience } from './openapi.js';

/**
 * Both documents without Postgres or Redis: the app's module graph in Nest's preview mode, which
 * resolves the modules and reads the controllers' metadata but instantiates no provider, so nothing
 * connects. The configuration is fixed (the documents must not depend on the environment they are
 * generated in) and points at closed ports: a connection attempt would fail, never reach a database.
 */
export async function generateOpenApiDocuments(): Promise<Record<Audience, OpenAPIObject>> {
  const config = loadApiConfig({
    INBOX_INTERNAL_TOKEN: 'openapi-documents-only',
    INBOX_SECRET_KEY: Buffer.alloc(32).toString('base64'),
    DATABASE_URL: 'postgres://openapi@127.0.0.1:1/none',
    REDIS_URL: 'redis://127.0.0.1:1/0',
  });
  const app = await NestFactory.create(AppModule.forRoot(config), new FastifyAdapter(), { preview: true, logger: false });
  try {
    return buildOpenApiDocuments(app);
  } finally {
    await app.close();
  }
}

/** The committed files, relative to apps/api: `openapi.json` (customers) and `openapi.internal.json`. */
export const OPENAPI_FILES: Record<Audience, URL> = {
  public: new URL(`../../${OPENAPI_DOCUMENTS.public.file}`, import.meta.url),
  internal: new URL(`../../${OPENAPI_DOCUMENTS.internal.file}`, import.meta.url),
};

/** A document as the committed file holds it. */
export function serializeDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
