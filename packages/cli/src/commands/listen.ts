import { type Command } from 'commander';
import type { CliContext } from '../context.js';
import { usageError } from '../errors.js';
import { listen } from '../listen/session.js';
import { httpUrl, webhookId } from '../validate.js';

interface ListenFlags {
  forwardTo: string;
  events?: string;
  webhook?: string;
}

/**
 * `inbox listen --forward-to <url>`: a listen session on the platform (an outbound stream, no
 * port opened on this machine) whose deliveries are POSTed to the local URL exactly as a real
 * webhook gets them, signed with the session's secret; one line per delivery.
 */
export function registerListen(program: Command, ctx: CliContext): void {
  program
    .command('listen')
    .description('Forward your account\'s events to a local URL, signed like real deliveries')
    .requiredOption('--forward-to <url>', 'where to POST each event, e.g. http://localhost:4000/webhooks', httpUrl)
    .option('--events <types>', 'comma-separated event types to receive (default: all)')
    .option('--webhook <wh_…>', 'receive what this webhook receives (its event types)')
    .addHelpText(
      'after',
      `
Prints the session's signing secret (whsec_…): verify deliveries with it as with a webhook's.
Each event is one line: time, type, event id, and your server's status and duration. Failed
deliveries are retried on the normal schedule while listen runs; ^C ends the session.

Examples:
  $ inbox listen --forward-to http://localhost:4000/webhooks
  $ inbox listen --forward-to http://localhost:4000/webhooks --events message.delivered,message.read
  $ inbox listen --forward-to http://localhost:4000/webhooks --webhook wh_...
  $ inbox trigger message.read     # in another terminal: a test event to every listener`,
    )
    .action(
      ctx.action(async (flags: ListenFlags) => {
        const webhook = flags.webhook === undefined ? undefined : webhookId(flags.webhook);
        const { inbox, credentials } = await ctx.client();
        const events = flags.events === undefined ? undefined : await knownEventTypes(flags.events, () => inbox.eventTypes.list());
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          await listen({
            apiUrl: credentials.apiUrl,
            apiKey: credentials.apiKey,
            forwardTo: flags.forwardTo,
            events,
            webhookId: webhook,
            output: ctx.output,
            signal: stop.signal,
          });
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
        // Ctrl-C is how listen ends: a success.
        process.exitCode = 0;
      }),
    );
}

/** `--events a,b`: each a type the platform knows (GET /v1/event-types), else a usage error naming them. */
async function knownEventTypes(value: string, catalog: () => Promise<{ data: Array<{ type: string }> }>): Promise<string[]> {
  const types = [...new Set(value.split(',').map((t) => t.trim()).filter((t) => t !== ''))];
  if (types.length === 0) throw usageError('--events names no event type.', 'Give a comma-separated list, e.g. --events message.delivered,message.read (`inbox event-types` lists them).');
  const known = new Set((await catalog()).data.map((t) => t.type));
  const unknown = types.filter((t) => !known.has(t));
  if (unknown.length > 0) throw usageError(`Unknown event type ${unknown.map((t) => `"${t}"`).join(', ')}.`, `Known types: ${[...known].join(', ')}.`);
  return types;
}
