import { Controller, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { WebhookEvent } from '@inbox/sdk';
import { InboxEvent, InboxWebhook, InboxWebhookModule } from '@inbox/sdk/nestjs';
import { once, setStatus } from './store.js';

@Controller('webhooks')
export class InboxWebhooksController {
  @Post('inbox')
  @InboxWebhook() // verifies req.rawBody, answers 200
  async receive(@InboxEvent() event: WebhookEvent) {
    await once(event.id, () => {
      switch (event.type) {
        case 'message.read':
          return setStatus(event.data.message_id, 'read', event.data.read_at);
        case 'message.action':
          return setStatus(event.data.message_id, `action: ${event.data.action}`, event.data.clicked_at);
      }
    });
    return { received: true };
  }
}

@Module({
  imports: [InboxWebhookModule.forRootAsync({ useFactory: () => ({ secret: process.env.INBOX_WEBHOOK_SECRET! }) })],
  controllers: [InboxWebhooksController],
})
export class AppModule {}

export async function bootstrap(port = 3000) {
  // rawBody: true keeps the exact bytes (req.rawBody) next to the parsed JSON, for the signature check.
  const app = await NestFactory.create(AppModule, { rawBody: true, logger: false });
  await app.listen(port);
  return app;
}
