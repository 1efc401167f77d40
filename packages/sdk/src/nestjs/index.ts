import {
  applyDecorators,
  ConfigurableModuleBuilder,
  createParamDecorator,
  HttpCode,
  HttpException,
  Inject,
  Injectable,
  Module,
  UseGuards,
  UseInterceptors,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { from, type Observable } from 'rxjs';
import type { WebhookEvent } from '@inbox/events';
import type { WebhookVerificationError } from '@inbox/signing/web';
import { isRawBody } from '../event.js';
import type { UnknownEvent } from '../handler.js';
import type { HeadersLike } from '../headers.js';
import type { ConstructEventOptions, WebhookSecrets } from '../options.js';
import { RawBodyError } from '../raw-body-error.js';
import { acknowledgeUnknown, isMisconfiguration, rejection } from '../reply.js';
import { constructEvent } from '../verify.js';

// Every injection names its token (`@Inject(...)`): bundlers such as esbuild do not emit the
// decorator metadata Nest would otherwise read constructor types from.

export interface InboxWebhookModuleOptions extends ConstructEventOptions {
  /** The webhook secret (`whsec_…`), or several while rotating. */
  secret: WebhookSecrets;
  /** Called for an authentic event this SDK version cannot type (acknowledged with 200). Default: a warning. */
  onUnknown?: (unknown: UnknownEvent) => unknown;
}

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<InboxWebhookModuleOptions>({
  moduleName: 'InboxWebhook',
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** Injection token of the module's options. */
export const INBOX_WEBHOOK_OPTIONS: string | symbol = MODULE_OPTIONS_TOKEN;

/** What the guard reads from the request (Express or Fastify adapter). */
interface WebhookRequest {
  headers: HeadersLike;
  rawBody?: unknown;
  inboxEvent?: WebhookEvent;
}

/** Authentic requests whose event this SDK cannot type, from the guard to the interceptor. */
const unknownEvents = new WeakMap<object, WebhookVerificationError>();

const RAW_BODY_MESSAGE =
  'InboxWebhookGuard: req.rawBody is missing, so the exact bytes Inbox signed cannot be checked. ' +
  'Create the app with raw bodies kept: NestFactory.create(AppModule, { rawBody: true }).';

/**
 * Verifies `req.rawBody` (Nest keeps it with `rawBody: true`) with `constructEvent` and sets
 * `req.inboxEvent`. A refused request gets 400/401 `{"error": {code, message}}`. Use it through
 * `@InboxWebhook()`, which also acknowledges events this SDK cannot type.
 */
@Injectable()
export class InboxWebhookGuard implements CanActivate {
  constructor(@Inject(MODULE_OPTIONS_TOKEN) private readonly options: InboxWebhookModuleOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<WebhookRequest>();
    if (!isRawBody(req.rawBody)) throw new RawBodyError(RAW_BODY_MESSAGE);
    const { secret, onUnknown: _onUnknown, ...verifyOptions } = this.options;
    try {
      req.inboxEvent = constructEvent(req.rawBody, req.headers, secret, verifyOptions);
    } catch (error) {
      if (isMisconfiguration(error)) throw error;
      const failure = error as WebhookVerificationError;
      if (!failure.isAuthentic) {
        const reply = rejection(failure);
        throw new HttpException(reply.body, reply.status);
      }
      unknownEvents.set(req, failure);
    }
    return true;
  }
}

/**
 * Answers an authentic event this SDK cannot type with 200 `{received: true, handled: false}`
 * without calling the route handler, and reports it (`onUnknown`).
 */
@Injectable()
export class InboxUnknownEventInterceptor implements NestInterceptor {
  constructor(@Inject(MODULE_OPTIONS_TOKEN) private readonly options: InboxWebhookModuleOptions) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const failure = unknownEvents.get(context.switchToHttp().getRequest<object>());
    if (!failure) return next.handle();
    return from(acknowledgeUnknown(failure, undefined, this.options.onUnknown).then((reply) => reply.body));
  }
}

/**
 * Marks a route as the Inbox webhook endpoint: verifies the request (guard), answers 200 (not
 * POST's default 201), and acknowledges events this SDK cannot type without calling the route.
 */
export function InboxWebhook(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(InboxWebhookGuard), UseInterceptors(InboxUnknownEventInterceptor), HttpCode(200));
}

/** Route parameter decorator: the verified event (`@InboxEvent() event: WebhookEvent`). */
export const InboxEvent: () => ParameterDecorator = createParamDecorator(
  (_data: unknown, context: ExecutionContext): WebhookEvent | undefined =>
    context.switchToHttp().getRequest<WebhookRequest>().inboxEvent,
);

/**
 * Provides the options to the guard: `InboxWebhookModule.forRoot({ secret })` or
 * `InboxWebhookModule.forRootAsync({ inject: [ConfigService], useFactory: (c) => ({ secret: c.get(...) }) })`.
 * Global unless `isGlobal: false`.
 */
@Module({
  providers: [InboxWebhookGuard, InboxUnknownEventInterceptor],
  exports: [MODULE_OPTIONS_TOKEN, InboxWebhookGuard, InboxUnknownEventInterceptor],
})
export class InboxWebhookModule extends ConfigurableModuleClass {}

export { RawBodyError };
