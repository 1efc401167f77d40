import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable.js';

/** Background reconnects: 0.5 s, 1 s, 2 s … then every 10 s until Postgres answers. */
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

/**
 * Opens the app's data source without holding start-up hostage to Postgres. Start-up waits for one
 * try (bounded by the connect timeout). If Postgres is unreachable then, the app starts anyway —
 * queries fail as unavailable (a 503, a job that waits), /health/ready says `postgres: down` — and
 * this keeps trying in the background until it connects. Any other failure (wrong password, no
 * such database) is a configuration error: start-up fails with it.
 */
@Injectable()
export class DatabaseConnector implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('DatabaseConnector');
  private timer: NodeJS.Timeout | undefined;
  private attempt: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    try {
      await this.dataSource.initialize();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      this.log.warn(`Postgres is unreachable (${(error as Error).message}); starting anyway and connecting in the background`);
      this.retryIn(FIRST_RETRY_MS);
    }
  }

  /** Stops retrying; a connect in flight finishes first, so the data source it opens is closed at shutdown. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.attempt;
  }

  private retryIn(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.attempt = this.dataSource.initialize().then(
        () => this.log.log('connected to Postgres'),
        (error: unknown) => {
          this.log.warn(`still no Postgres: ${(error as Error).message}`);
          this.retryIn(Math.min(delayMs * 2, MAX_RETRY_MS));
        },
      );
    }, delayMs);
    this.timer.unref();
  }
}
