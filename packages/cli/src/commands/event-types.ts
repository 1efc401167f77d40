import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/** `inbox event-types`: the catalog a webhook may subscribe to. */
export function registerEventTypes(program: Command, ctx: CliContext): void {
  program
    .command('event-types')
    .description('List the event types a webhook may subscribe to')
    .addHelpText(
      'after',
      `
Examples:
  $ inbox event-types
  $ inbox event-types --json   # each type with its description, JSON Schema and an example event`,
    )
    .action(
      ctx.action(async () => {
        const { inbox } = await ctx.client();
        const { data } = await inbox.eventTypes.list();
        const out = ctx.output;
        out.result(data, () =>
          out.table(data, [
            { header: 'TYPE', cell: (t) => t.type, paint: (_t, text) => out.colors.cyan(text) },
            { header: 'DESCRIPTION', cell: (t) => t.description },
          ]),
        );
      }),
    );
}
