import type { IncomingMessage } from 'node:http';
import { loggerModule } from './logger.js';
import { requestIdOf } from './request-id.js';

/** The options nestjs-pino's LoggerModule was given (its params provider). */
function params(level: 'warn' | 'info' | 'error' | 'debug') {
  const providers = loggerModule({ logLevel: level }, 'test').providers ?? [];
  const provider = providers.find((p) => typeof p === 'object' && 'useValue' in p && (p.useValue as { pinoHttp?: unknown }).pinoHttp) as { useValue: Record<string, unknown> };
  return provider.useValue as { pinoHttp: { autoLogging: unknown; redact: { paths: string[] }; genReqId: (req: IncomingMessage) => unknown }; forRoutes?: unknown[] };
}

describe('loggerModule', () => {
  it.each(['info', 'debug'] as const)('logs every request at %s (the middleware on every route)', (level) => {
    const p = params(level);
    expect(p.forRoutes).toEqual([{ path: '{*path}', method: expect.anything() }]);
    expect(p.pinoHttp.autoLogging).toEqual({ ignore: expect.any(Function) });
  });

  it.each(['warn', 'error'] as const)('does no per-request work at %s: no request lines, no middleware', (level) => {
    const p = params(level);
    expect(p.forRoutes).toEqual([]);
    expect(p.pinoHttp.autoLogging).toBe(false);
  });

  it('redacts credentials and secrets at every level', () => {
    for (const level of ['info', 'warn'] as const) expect(params(level).pinoHttp.redact.paths).toEqual(expect.arrayContaining(['req.headers.authorization', '*.secret', '*.api_key']));
  });

  it("binds each request's log lines to the id it answers with (X-Request-Id)", () => {
    const supplied = { headers: { 'x-request-id': 'caller-1' } } as unknown as IncomingMessage;
    const none = { headers: {} } as unknown as IncomingMessage;
    const { genReqId } = params('info').pinoHttp;
    expect(genReqId(supplied)).toBe('caller-1');
    expect(genReqId(none)).toBe(requestIdOf(none));
  });
});
