// The apps build without declarations (they are applications, not libraries); these are the two
// functions the SDK's end-to-end specs call, as apps/*/src/bootstrap.ts define them.
declare module '@inbox/api/dist/bootstrap.js' {
  import type { INestApplication } from '@nestjs/common';
  import type { ApiConfig } from '@inbox/server';
  export function createApiApp(config: ApiConfig): Promise<INestApplication>;
}

declare module '@inbox/dispatcher/dist/bootstrap.js' {
  import type { INestApplication } from '@nestjs/common';
  import type { DispatcherConfig } from '@inbox/server';
  export function createDispatcherApp(config: DispatcherConfig): Promise<INestApplication>;
}
