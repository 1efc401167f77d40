import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { CliContext } from './context.js';
import { CliError, ExitCode } from './errors.js';
import { registerEventTypes } from './commands/event-types.js';
import { registerListen } from './commands/listen.js';
import { registerLogin } from './commands/login.js';
import { registerLogs } from './commands/logs.js';
import { registerResend } from './commands/resend.js';
import { registerTrigger } from './commands/trigger.js';
import { registerWebhooks } from './commands/webhooks.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** The `inbox` program with every command registered; `main` parses argv with it. */
export function buildProgram(env: NodeJS.ProcessEnv = process.env): { program: Command; ctx: CliContext } {
  const program = new Command('inbox');
  const ctx = new CliContext(program, env);
  program
    .description('The Inbox command line: manage webhooks, send test events, follow delivery logs, forward webhooks to localhost.')
    .version(version, '-v, --version', 'print the version')
    .addOption(new Option('--api-key <key>', 'API key (default: $INBOX_API_KEY, else the key saved by `inbox login`)'))
    .addOption(new Option('--api-url <url>', 'the platform (default: $INBOX_API_URL, else http://localhost:3000)'))
    .option('--json', 'print JSON for scripts (JSON Lines when following)')
    .option('--no-color', 'never colour the output (also: NO_COLOR=1, or when stdout is not a terminal)')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Examples:
  $ inbox login
  $ inbox webhooks create --url http://localhost:4000/webhooks --events message.delivered,message.read
  $ inbox trigger message.delivered --webhook wh_...
  $ inbox logs wh_... --follow
  $ inbox listen --forward-to http://localhost:4000/webhooks

Exit codes: 0 ok, 1 API error, 2 usage, 3 authentication, 4 not found, 5 platform unreachable.`,
    );

  registerLogin(program, ctx);
  registerWebhooks(program, ctx);
  registerTrigger(program, ctx);
  registerLogs(program, ctx);
  registerResend(program, ctx);
  registerEventTypes(program, ctx);
  registerListen(program, ctx);

  // Usage errors exit 2 (commander's own default is 1); help and --version exit 0.
  applyExitOverride(program);
  return { program, ctx };
}

function applyExitOverride(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) applyExitOverride(sub);
}

export async function main(argv = process.argv, env = process.env): Promise<void> {
  const { program, ctx } = buildProgram(env);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander printed its message (and the hint) already.
      // `commander.help` with exit code 1 is help shown for a missing command (`inbox webhooks`).
      process.exitCode = error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
      return;
    }
    if (error instanceof CliError) {
      ctx.fail(error);
      return;
    }
    throw error;
  }
}
