import { register } from 'node:module';

/** Flushes and stops tracing; nothing to do while it is off. */
let stop: () => Promise<void> = () => Promise.resolve();

/** Exports the spans still buffered and stops tracing (at shutdown, see closeOnSignals). */
export function stopTelemetry(): Promise<void> {
  return stop();
}

/**
 * OpenTelemetry tracing, configured by the standard variables: on when `OTEL_EXPORTER_OTLP_ENDPOINT`
 * (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, exporting over `OTEL_EXPORTER_OTLP_PROTOCOL`
 * (`http/protobuf` by default, or `http/json`), sampled by `OTEL_TRACES_SAMPLER`, named by
 * `OTEL_SERVICE_NAME` (else `defaultServiceName`). Off otherwise, and then the SDK is not even loaded.
 *
 * Call it before the app's modules load (main.ts imports the app afterwards) so the instrumentations
 * (incoming HTTP, pg, ioredis, undici) patch them as they load; the ESM hook lets them patch modules
 * `import`ed rather than `require`d. Resolves true when tracing started.
 */
export async function startTelemetry(defaultServiceName: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return false;
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const [{ NodeSDK }, { HttpInstrumentation }, { PgInstrumentation }, { IORedisInstrumentation }, { UndiciInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
    import('@opentelemetry/instrumentation-undici'),
  ]);
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || defaultServiceName,
    instrumentations: [
      // Incoming requests only: the webhook POSTs go out through undici, traced below.
      new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true, ignoreIncomingRequestHook: (req) => /^\/(health|metrics)/.test(req.url ?? '') }),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      new UndiciInstrumentation(),
    ],
  });
  sdk.start();
  stop = () => sdk.shutdown();
  return true;
}
