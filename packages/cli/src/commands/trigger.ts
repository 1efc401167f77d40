import { ConflictError, type TestResult } from '@inbox/sdk';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { CliError, ExitCode } from '../errors.js';
import { eventType, webhookId } from '../validate.js';

/** `inbox trigger <event-type> [--webhook wh_…]`: send the docs' example event of a type. */
export function registerTrigger(program: Command, ctx: CliContext): void {
  program
    .command('trigger')
    .description("Send a test event (the docs' example of the type) through the normal pipeline: signed, retried, logged")
    .argument('<event-type>', 'e.g. message.delivered (see `inbox event-types`)')
    .option(
      '--webhook <wh_id>',
      'send to this webhook only, subscribed to the type or not (default: every enabled webhook and `inbox listen` session subscribed to it)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ inbox trigger message.delivered                     # every subscribed webhook and inbox listen session
  $ inbox trigger message.read --webhook wh_01JB...`,
    )
    .action(
      ctx.action(async (type: string, options: { webhook?: string }) => {
        const typed = eventType(type);
        if (options.webhook !== undefined) webhookId(options.webhook);
        const { inbox } = await ctx.client();
        let result: TestResult;
        try {
          result = options.webhook !== undefined ? await inbox.webhooks.test(options.webhook, typed) : await inbox.webhooks.trigger(typed);
        } catch (error) {
          if (error instanceof ConflictError && error.code === 'no_subscribers')
            throw new CliError(
              `Nothing subscribes to ${typed}: no enabled webhook, no \`inbox listen\` session.`,
              ExitCode.Error,
              `Run \`inbox listen --forward-to <url>\` in another terminal, pass --webhook wh_… to send to one webhook anyway, or create one: inbox webhooks create --url <url> --events ${typed}`,
              error.code,
              error.requestId,
            );
          throw error;
        }
        const deliveryIds = result.delivery_ids ?? [result.delivery_id];
        const out = ctx.output;
        out.result({ event_type: typed, ...(options.webhook ? { webhook_id: options.webhook } : {}), ...result, delivery_ids: deliveryIds }, () => {
          const c = out.colors;
          const where = options.webhook ?? (deliveryIds.length === 1 ? '1 subscriber' : `${deliveryIds.length} subscribers`);
          out.line(`${c.green('✓')} Sent ${typed} ${c.bold(result.event_id)} to ${where} (${deliveryIds.length === 1 ? 'delivery' : 'deliveries'} ${deliveryIds.join(', ')})`);
          if (options.webhook) out.line(c.dim(`See the attempts: inbox logs ${options.webhook} --follow`));
        });
      }),
    );
}
