/**
 * Request headers in any of the shapes frameworks hand out: Node's `IncomingHttpHeaders`, a plain
 * record with names in any case, or a WHATWG `Headers` (fetch, Next.js, Bun, Deno, workers).
 */
export type HeadersInput =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

function isHeadersObject(headers: HeadersInput): headers is { get(name: string): string | null } {
  return typeof (headers as { get?: unknown }).get === 'function';
}

/** Every value of header `name` (case-insensitive), `[]` when absent. `Headers` joins repeats with ", ". */
export function headerValues(headers: HeadersInput | null | undefined, name: string): string[] {
  if (headers == null || typeof headers !== 'object') return [];
  const wanted = name.toLowerCase();
  if (isHeadersObject(headers)) {
    const value = headers.get(wanted);
    return value == null ? [] : [value];
  }
  const out: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) out.push(...value.filter((v): v is string => typeof v === 'string'));
  }
  return out;
}

/** Whether header `name` is present with a non-blank value. */
export function hasHeader(headers: HeadersInput | null | undefined, name: string): boolean {
  return headerValues(headers, name).some((value) => value.trim() !== '');
}
