import type { MediaTypeObject, OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { operationsOf } from './conventions.js';

// Request and response examples for every JSON body, so a reader (and a mock server or a client
// generator) sees real values rather than "string". A body whose schema has an example of its own
// keeps it (the request DTOs carry the docs' examples); otherwise its example is put together from
// the examples its fields carry (`.meta({ example })` in the DTOs), as Swagger UI would on screen.

type Schema = SchemaObject & { const?: unknown };
type Components = Record<string, Schema | ReferenceObject>;

/** An example, or the path of the first required field that has none. */
export type Composed = { value: unknown } | { missing: string };

const isRef = (schema: object): schema is ReferenceObject => '$ref' in schema;

/** An example of `schema` made of its parts' examples (enums, constants, booleans and nullable fields need none). */
export function composeExample(schema: Schema | ReferenceObject, components: Components, path = '', seen: ReadonlySet<string> = new Set()): Composed {
  const own = schema as Schema;
  if (own.example !== undefined) return { value: own.example };
  if (Array.isArray(own.examples) && own.examples.length > 0) return { value: own.examples[0] };
  if (isRef(schema)) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = components[name];
    if (!target || seen.has(name)) return { missing: `${path || '(body)'} (${schema.$ref})` };
    return composeExample(target, components, path, new Set([...seen, name]));
  }
  if ('const' in own) return { value: own.const };
  if (own.enum?.length) return { value: own.enum[0] };
  const branches = [...(own.oneOf ?? []), ...(own.anyOf ?? [])];
  if (branches.length > 0) {
    const tries = branches.map((branch) => composeExample(branch, components, path, seen));
    return tries.find((t) => 'value' in t) ?? tries[0]!;
  }
  const types = Array.isArray(own.type) ? own.type : [own.type];
  if (types.includes('object') || own.properties) {
    const value: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(own.properties ?? {})) {
      const field = composeExample(property, components, path ? `${path}.${key}` : key, seen);
      if ('value' in field) value[key] = field.value;
      else if (own.required?.includes(key)) return field;
    }
    return { value };
  }
  if (types.includes('array')) {
    if (!own.items) return { missing: `${path}[]` };
    const item = composeExample(own.items, components, `${path}[]`, seen);
    return 'value' in item ? { value: [item.value] } : item;
  }
  if (types.includes('boolean')) return { value: true };
  if (types.includes('null')) return { value: null };
  return { missing: path || '(body)' };
}

/** The JSON bodies of an operation that carry an example: requests, and 2xx answers. */
export function jsonBodiesOf(document: OpenAPIObject): Array<{ where: string; media: MediaTypeObject }> {
  return operationsOf(document).flatMap(({ path, method, operation }) => {
    const where = `${method.toUpperCase()} ${path}`;
    const request = operation.requestBody && !isRef(operation.requestBody) ? operation.requestBody.content['application/json'] : undefined;
    const answers = Object.entries(operation.responses)
      .filter(([status]) => status.startsWith('2'))
      .flatMap(([status, response]) => {
        const media = !response || isRef(response) ? undefined : response.content?.['application/json'];
        return media ? [{ where: `${where} → ${status}`, media }] : [];
      });
    return [...(request ? [{ where: `${where} (request body)`, media: request }] : []), ...answers];
  });
}

/** Whether the body has an example of its own or on its schema (through a reference). */
export function hasExample(media: MediaTypeObject, components: Components): boolean {
  if (media.example !== undefined || media.examples !== undefined) return true;
  if (!media.schema) return false;
  const schema = isRef(media.schema) ? components[media.schema.$ref.replace('#/components/schemas/', '')] : media.schema;
  return schema !== undefined && !isRef(schema) && (schema.example !== undefined || schema.examples !== undefined);
}

/** Gives each JSON body without an example one put together from its fields', in place (where every required field has one). */
export function addExamples(document: OpenAPIObject): void {
  const components = (document.components?.schemas ?? {}) as Components;
  for (const { media } of jsonBodiesOf(document)) {
    if (hasExample(media, components) || !media.schema) continue;
    const composed = composeExample(media.schema, components);
    if ('value' in composed) media.example = composed.value;
  }
}
