import { startTelemetry } from '@inbox/server/telemetry';

// Tracing first (when configured), so its instrumentations patch the modules the app then loads.
await startTelemetry('inbox-dispatcher');
await import('./serve.js');
