import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** One registry per process; features register their own counters/histograms on it. */
export const metricsRegistry = new Registry();
let defaultsCollected = false;

/**
 * Node's default metrics under their standard names (`process_cpu_seconds_total`,
 * `nodejs_eventloop_lag_seconds`, …) and a `service` label on every series telling the apps apart,
 * as Prometheus conventions ask (a label, not a name prefix). The first app booted in a process
 * names it.
 */
export function ensureDefaultMetrics(service: 'inbox-api' | 'inbox-dispatcher'): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  metricsRegistry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: metricsRegistry });
}

const METRICS_PORT = Symbol('METRICS_PORT');

/**
 * `GET /metrics` on its own port (METRICS_PORT), apart from the public one: scrapes reach it inside
 * the cluster, the internet never does. A bare node:http server: no framework, no middleware.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: metrics are at GET /metrics\n');
      return;
    }
    metricsRegistry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': metricsRegistry.contentType }).end(text),
      (error: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${(error as Error).message}\n`),
    );
  });

  constructor(@Inject(METRICS_PORT) private readonly port: number) {}

  async onApplicationBootstrap(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '0.0.0.0', () => resolve());
    });
  }

  /** Last to go: a scrape during the drain still answers. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Where the metrics are served (its port when METRICS_PORT is 0, as in tests). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/metrics`;
  }
}

@Module({})
export class MetricsModule {
  static forRoot(port: number): DynamicModule {
    return { module: MetricsModule, providers: [{ provide: METRICS_PORT, useValue: port }, MetricsServer], exports: [MetricsServer] };
  }
}
