import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { ApiConfig, DispatcherConfig } from './config.js';

// One token per app: a provider that asks for the other app's config fails at start-up (Nest
// cannot resolve it) instead of reading settings that were never parsed.

/** Injection token for the API's validated {@link ApiConfig}. */
export const API_CONFIG = Symbol('API_CONFIG');
/** Injection token for the dispatcher's validated {@link DispatcherConfig}. */
export const DISPATCHER_CONFIG = Symbol('DISPATCHER_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  static forApi(config: ApiConfig): DynamicModule {
    return ConfigModule.provide(API_CONFIG, config);
  }

  static forDispatcher(config: DispatcherConfig): DynamicModule {
    return ConfigModule.provide(DISPATCHER_CONFIG, config);
  }

  private static provide(token: symbol, config: ApiConfig | DispatcherConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: token, useValue: config }], exports: [token] };
  }
}
