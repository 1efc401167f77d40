import { Global, Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source.js';
import { REPOSITORIES } from './repositories/index.js';

/**
 * TypeORM connection plus every repository, for either app. Repositories are the only code that
 * touches TypeORM; they take a DataSource and the caller's account id.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: { url: string; poolSize?: number }): DynamicModule {
    const providers: Provider[] = REPOSITORIES as Type[];
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(options.url, options.poolSize), retryAttempts: 3, retryDelay: 500 })],
      providers,
      exports: providers,
    };
  }
}
