import type { Webhook } from '@inbox/sdk';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { Column } from '../output.js';
import { eventTypeList, httpUrl, intInRange, webhookId } from '../validate.js';

/** `inbox webhooks list|create|delete`. */
export function registerWebhooks(program: Command, ctx: CliContext): void {
  const webhooks = program
    .command('webhooks')
    .description('List, create and delete your webhook endpoints')
    .addHelpText(
      'after',
      `
Examples:
  $ inbox webhooks list
  $ inbox webhooks create --url http://localhost:4000/webhooks --events message.delivered,message.read
  $ inbox webhooks delete wh_01JB...`,
    );

  webhooks
    .command('list')
    .alias('ls')
    .description('List your webhooks, newest first')
    .option('--limit <n>', 'at most this many (1-1000)', intInRange(1, 1000), 100)
    .addHelpText('after', '\nExample:\n  $ inbox webhooks list --json | jq -r \'.[].id\'')
    .action(
      ctx.action(async (options: { limit: number }) => {
        const { inbox } = await ctx.client();
        const list = await inbox.webhooks.list({ limit: Math.min(options.limit, 250) }).toArray({ max: options.limit });
        const out = ctx.output;
        out.result(list, () => {
          if (list.length === 0) {
            out.line('No webhooks yet. Create one with `inbox webhooks create --url <url> --events <types>`.');
            return;
          }
          out.table(list, webhookColumns(ctx));
        });
      }),
    );

  webhooks
    .command('create')
    .description('Register an endpoint; prints its id and signing secret')
    .requiredOption('--url <url>', 'your endpoint (https; http:// and localhost in dev mode)', httpUrl)
    .requiredOption('--events <types>', 'comma-separated event types to receive, or "all" (see `inbox event-types`)', eventTypeList)
    .option('--description <text>', 'a note for yourself')
    .addHelpText(
      'after',
      `
Example:
  $ inbox webhooks create --url http://localhost:4000/webhooks --events message.delivered,message.read --description "Local dev"

The signing secret is printed once here; later: the dashboard, or GET /v1/webhooks/{id}/secret.`,
    )
    .action(
      ctx.action(async (options: { url: string; events: string[]; description?: string }) => {
        const { inbox } = await ctx.client();
        const created = await inbox.webhooks.create({
          url: options.url,
          events: options.events as Webhook['events'],
          ...(options.description === undefined ? {} : { description: options.description }),
        });
        const out = ctx.output;
        const c = out.colors;
        out.result(created, () => {
          out.line(`${c.green('✓')} Created webhook ${c.bold(created.id)}`);
          out.line(`  URL:     ${created.url}`);
          out.line(`  Events:  ${created.events.join(', ')}`);
          if (created.description) out.line(`  Note:    ${created.description}`);
          out.line(`  Secret:  ${c.yellow(created.secret)}`);
          out.line(c.dim('Keep the secret: your endpoint verifies signatures with it (@inbox/sdk).'));
        });
      }),
    );

  webhooks
    .command('delete')
    .alias('rm')
    .description('Delete a webhook: pending deliveries to it stop; its logs stay readable')
    .argument('<webhook-id>', 'the webhook (wh_…)')
    .addHelpText('after', '\nExample:\n  $ inbox webhooks delete wh_01JB...')
    .action(
      ctx.action(async (id: string) => {
        webhookId(id);
        const { inbox } = await ctx.client();
        await inbox.webhooks.delete(id);
        const out = ctx.output;
        out.result({ id, deleted: true }, () => out.line(`${out.colors.green('✓')} Deleted webhook ${id}`));
      }),
    );
}

function webhookColumns(ctx: CliContext): Column<Webhook>[] {
  const c = ctx.output.colors;
  return [
    { header: 'ID', cell: (w) => w.id },
    { header: 'URL', cell: (w) => w.url },
    { header: 'EVENTS', cell: (w) => w.events.join(',') },
    {
      header: 'STATUS',
      cell: (w) => (w.status === 'enabled' ? 'enabled' : `disabled (${w.disabled_reason ?? 'manual'})`),
      paint: (w, text) => (w.status === 'enabled' ? c.green(text) : c.red(text)),
    },
    { header: 'CREATED', cell: (w) => w.created_at.replace(/\.\d+Z$/, 'Z') },
    { header: 'DESCRIPTION', cell: (w) => w.description ?? '' },
  ];
}
