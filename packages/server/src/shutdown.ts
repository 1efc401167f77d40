import type { INestApplicationContext } from '@nestjs/common';
import { ConfigError } from './config.js';
import { stopTelemetry } from './telemetry.js';

/**
 * SIGTERM/SIGINT: close the app (Nest runs onModuleDestroy/beforeApplicationShutdown hooks, which
 * stop workers and drain in-flight work), bounded by `timeoutMs`, then exit 0 (1 if it failed or
 * ran out of time). The one owner of these signals: apps do not also call `enableShutdownHooks`,
 * whose handler re-raises the signal after closing (killing the process instead of exiting 0).
 * A repeated signal (a supervisor's retry, a second Ctrl-C) is logged and changes nothing.
 */
export function closeOnSignals(app: INestApplicationContext, timeoutMs: number, log: (msg: string) => void): void {
  let closing = false;
  const close = (signal: string) => {
    if (closing) {
      log(`${signal} received again: already shutting down`);
      return;
    }
    closing = true;
    log(`${signal} received: shutting down (at most ${timeoutMs} ms)`);
    const force = setTimeout(() => {
      log('shutdown timed out: exiting');
      process.exit(1);
    }, timeoutMs);
    force.unref();
    app
      .close()
      // The last spans (the drained work's) go out before the process does.
      .then(() => stopTelemetry())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log(`shutdown failed: ${String(error)}`);
        process.exit(1);
      });
  };
  // `on`, not `once`: with no listener left, a second signal would kill the process mid-close.
  process.on('SIGTERM', () => close('SIGTERM'));
  process.on('SIGINT', () => close('SIGINT'));
}

/**
 * Runs an app's `main`: a bad configuration exits 78 (EX_CONFIG) with every problem named, any
 * other start-up failure exits 1 with its stack.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    console.error(error);
    process.exit(1);
  });
}
