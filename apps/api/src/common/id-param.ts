import { Param, type PipeTransform } from '@nestjs/common';
import { parseId, type Id, type IdKind } from '@inbox/db';
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

/** `@IdParam('id', 'webhook', 'Webhook') id: WebhookId`: a branded id from the path, or a 404. */
export function IdParam<K extends IdKind>(name: string, kind: K, resource: string): ParameterDecorator {
  return Param(name, new IdPipe(kind, resource));
}
