import { Injectable, StandardSchemaValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { InvalidParameterError, ValidationError, type ErrorDetail } from './api-error.js';

/** Carries the schema issues from the pipe's exception factory to `transform`, which knows the source. */
class SchemaIssues {
  constructor(readonly issues: readonly StandardSchemaV1.Issue[]) {}
}

/** Standard Schema issues (zod's) as error details: one per problem, with a dotted path. */
export function issuesToDetails(issues: readonly StandardSchemaV1.Issue[]): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    const path = (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment));
    // zod reports unknown fields of a strict object as one issue listing the keys: name each one.
    const { code, keys } = issue as StandardSchemaV1.Issue & { code?: string; keys?: string[] };
    const unknownKeys = code === 'unrecognized_keys' ? keys : undefined;
    if (unknownKeys) {
      for (const key of unknownKeys) details.push({ path: [...path, key].join('.'), message: `unknown field "${key}"` });
    } else {
      details.push({ path: path.join('.'), message: issue.message });
    }
  }
  return details;
}

/**
 * Nest's Standard Schema pipe (zod schemas given as `@Body({schema})`, `@Query({schema})`) with our
 * error shape: a bad body is 422 `validation_failed`, a bad query parameter 400 `invalid_parameter`,
 * each naming the fields.
 */
@Injectable()
export class ApiValidationPipe extends StandardSchemaValidationPipe {
  constructor() {
    super({ exceptionFactory: (issues) => new SchemaIssues(issues) });
  }

  override async transform<T = unknown>(value: T, metadata: ArgumentMetadata): Promise<T> {
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof SchemaIssues)) throw error;
      const details = issuesToDetails(error.issues);
      if (metadata.type === 'query') throw new InvalidParameterError(details);
      throw new ValidationError(details);
    }
  }
}
