import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { eventId, webhookId } from '../validate.js';

/** `inbox resend <wh_…> <evt_…>`: send an event to a webhook again (same bytes, new delivery). */
export function registerResend(program: Command, ctx: CliContext): void {
  program
    .command('resend')
    .description('Send an event already sent to a webhook again: same body and event id, a new delivery')
    .argument('<webhook-id>', 'the webhook (wh_…)')
    .argument('<event-id>', 'the event (evt_…), e.g. from `inbox logs`')
    .addHelpText(
      'after',
      `
Example:
  $ inbox resend wh_01JB... evt_01JB...

Refused (exit 1) while the webhook is disabled or the event still has a pending delivery to it.`,
    )
    .action(
      ctx.action(async (webhook: string, event: string) => {
        webhookId(webhook);
        eventId(event);
        const { inbox } = await ctx.client();
        const result = await inbox.webhooks.resend(webhook, event);
        const out = ctx.output;
        out.result({ webhook_id: webhook, event_id: event, ...result }, () => {
          out.line(`${out.colors.green('✓')} Resending ${event} to ${webhook} (delivery ${result.delivery_id})`);
          out.line(out.colors.dim(`Follow it: inbox logs ${webhook} --follow`));
        });
      }),
    );
}
