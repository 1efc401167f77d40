import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

// Spans of our own, on @opentelemetry/api alone: with tracing off (no SDK registered, see
// telemetry.ts) every call here is the API's no-op, and no traceparent is ever written.

const tracer = () => trace.getTracer('inbox');

/** The W3C `traceparent` of `ctx` (the active context by default); undefined when tracing is off. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const carrier: { traceparent?: string } = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/** The W3C `traceparent` naming `span` as the parent (undefined when tracing is off). */
export function traceparentOfSpan(span: Span): string | undefined {
  return traceparentOf(trace.setSpan(ROOT_CONTEXT, span));
}

/** Starts a span that is not made active, as a child of `parent` (for work done on another's behalf, e.g. a batch). */
export function startSpan(name: string, parent: Context, kind: SpanKind, attributes: Attributes): Span {
  return tracer().startSpan(name, { kind, attributes }, parent);
}

/**
 * Runs `fn` in a new active span, the child of the W3C `traceparent` carried across a hop (a job's
 * data); of the active context when there is none (jobs enqueued before tracing, or with it off).
 * The span ends with `fn`, recording an error `fn` throws.
 */
export async function inSpanFrom<T>(name: string, traceparent: string | undefined, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : context.active();
  return tracer().startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { context as traceContext, SpanKind, type Context as TraceContext, type Span };
