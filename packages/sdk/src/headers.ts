import type { HeadersInput } from '@inbox/signing/web';

/**
 * Request headers in any of the shapes frameworks hand out: Node's `IncomingHttpHeaders`, a plain
 * record with names in any case, or a WHATWG `Headers` (fetch, Next.js, Bun, Deno, workers).
 * Read with @inbox/signing's `headerValues` (case-insensitive).
 */
export type HeadersLike = HeadersInput;
