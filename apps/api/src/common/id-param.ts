import { Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ID_PREFIX, parseId, type Id, type IdKind } from '@inbox/db';
import { NotFoundError } from './api-error.js';

/** Parses a path id of one kind; anything that cannot be one is the same 404 as an unknown id. */
class IdPipe<K extends IdKind> implements PipeTransform<string, Id<K>> {
  constructor(
    private readonly kind: K,
    private readonly resource: string,
  ) {}

  transform(value: string): Id<K> {
    const id = parseId(this.kind, value);
    if (!id) throw new NotFoundError(this.resource);
    return id;
  }
}

/**
 * `@IdParam('id', 'webhook', 'Webhook') id: WebhookId`: a branded id from the path, or a 404.
 * Documents the path parameter itself: the OpenAPI generator cannot infer it from a branded type,
 * which compilers reflect differently (tsc as String, swc as Object).
 */
export function IdParam<K extends IdKind>(name: string, kind: K, resource: string): ParameterDecorator {
  const param = Param(name, new IdPipe(kind, resource));
  const prefix = ID_PREFIX[kind];
  const doc = ApiParam({ name, description: `An id \`${prefix}…\``, schema: { type: 'string', example: `${prefix}01JD0Y6J6R8Z3Q4W5E6R7T8Y9U` } });
  return (target, key, index) => {
    param(target, key, index);
    doc(target, key!, Object.getOwnPropertyDescriptor(target, key!)!);
  };
}
