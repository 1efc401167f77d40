import { Injectable, StandardSchemaValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { formatIssues } from '@inbox/events';
import { InvalidParameterError, ValidationError } from './api-error.js';

/** Carries the schema issues from the pipe's exception factory to `transform`, which knows the source. */
class SchemaIssues {
  constructor(readonly issues: readonly StandardSchemaV1.Issue[]) {}
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
      const details = formatIssues(error);
      if (metadata.type === 'query') throw new InvalidParameterError(details);
      throw new ValidationError(details);
    }
  }
}
