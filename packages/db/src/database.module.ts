import { Global, Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { SharedConfig } from '@inbox/server';
import { dataSourceOptions, type DatabaseTimeouts } from './data-source.js';
import { DatabaseConnector } from './database-connector.js';
import { REPOSITORIES } from './repositories/index.js';
import { SecretBox } from './secret-box.js';

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  /** DATABASE_CONNECT_TIMEOUT and DATABASE_STATEMENT_TIMEOUT (defaults: APP_DATABASE_TIMEOUTS). */
  timeouts?: DatabaseTimeouts;
  /** INBOX_SECRET_KEY: seals secrets at rest. */
  secretKey: Buffer;
  /** INBOX_SECRET_KEYS_PREVIOUS: still open what they sealed, until `pnpm db:reseal` ran. */
  previousSecretKeys?: readonly Buffer[];
}

/**
 * TypeORM connection plus every repository, for either app, and the app's one SecretBox (the keys
 * that seal secrets at rest). Repositories are the only code that touches TypeORM; they take a
 * DataSource and the caller's account id.
 */
@Global()
@Module({})
export class DatabaseModule {
  /** As both apps call it: their shared config's Postgres settings and secret keys. */
  static forConfig(config: SharedConfig): DynamicModule {
    return DatabaseModule.forRoot({
      url: config.databaseUrl,
      poolSize: config.databasePoolSize,
      timeouts: {
        connectMs: config.databaseConnectTimeoutMs,
        statementMs: config.databaseStatementTimeoutMs,
        startupParameters: config.databasePooler === 'none',
      },
      secretKey: config.secretKey,
      previousSecretKeys: config.previousSecretKeys,
    });
  }

  static forRoot(options: DatabaseOptions): DynamicModule {
    const providers: Provider[] = [
      ...(REPOSITORIES as Type[]),
      { provide: SecretBox, useValue: new SecretBox(options.secretKey, options.previousSecretKeys) },
    ];
    const typeOrm = TypeOrmModule.forRoot({
      ...dataSourceOptions(options.url, options.poolSize, options.timeouts),
      // DatabaseConnector opens it: the app starts while Postgres is down and connects once it is back.
      manualInitialization: true,
    });
    return {
      module: DatabaseModule,
      imports: [typeOrm],
      providers: [...providers, DatabaseConnector],
      exports: providers,
    };
  }
}
