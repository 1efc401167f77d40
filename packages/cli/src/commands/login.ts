import type { Command } from 'commander';
import { newClient, type CliContext } from '../context.js';
import { removeConfig, writeConfig } from '../config.js';
import { CliError, ExitCode, usageError } from '../errors.js';
import { DEFAULT_API_URL } from '../context.js';

/** `inbox login` and `inbox logout`: keep an API key in the user's config directory (0600). */
export function registerLogin(program: Command, ctx: CliContext): void {
  program
    .command('login')
    .description("Save an API key (checked with the platform first) in your config directory, readable only by you")
    .addHelpText(
      'after',
      `
Examples:
  $ inbox login                                      # asks for the key (not echoed)
  $ inbox login --api-key inbox_sk_...               # e.g. the key ./scripts/dev.sh printed
  $ echo "$KEY" | inbox login --api-url https://api.example.com

Saved at $XDG_CONFIG_HOME/inbox/config.json (default ~/.config/inbox/config.json), mode 0600, with
the platform URL it was checked against. --api-key and INBOX_API_KEY still take precedence.`,
    )
    .action(
      ctx.action(async () => {
        const { apiKey: flagKey, apiUrl: flagUrl } = ctx.options();
        const apiUrl = flagUrl ?? (ctx.env.INBOX_API_URL || undefined) ?? DEFAULT_API_URL;
        const apiKey = (flagKey ?? (await readKey(ctx))).trim();
        if (apiKey === '') throw usageError('No API key given.', 'Pass --api-key inbox_sk_…, pipe it on stdin, or run `inbox login` in a terminal.');
        // A cheap authenticated call: a wrong key or URL fails here, not at the next command.
        try {
          await newClient({ apiKey, apiUrl }).webhooks.list({ limit: 1 }).page();
        } catch (error) {
          ctx.fail(error, apiUrl);
          return;
        }
        const path = ctx.configPath();
        await writeConfig(path, { api_key: apiKey, api_url: apiUrl });
        const out = ctx.output;
        out.result({ logged_in: true, api_url: apiUrl, config_path: path }, () => {
          out.line(`${out.colors.green('✓')} Logged in to ${apiUrl}. Key saved to ${path} (mode 0600).`);
        });
      }),
    );

  program
    .command('logout')
    .description('Remove the saved API key')
    .addHelpText('after', '\nExample:\n  $ inbox logout')
    .action(
      ctx.action(async () => {
        const path = ctx.configPath();
        const removed = await removeConfig(path);
        const out = ctx.output;
        out.result({ logged_out: removed, config_path: path }, () =>
          out.line(removed ? `${out.colors.green('✓')} Removed ${path}.` : `Not logged in (no ${path}).`),
        );
      }),
    );
}

/** The key from a TTY prompt (not echoed), else the first line of stdin. */
async function readKey(ctx: CliContext): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) {
      text += String(chunk);
      if (text.includes('\n')) break;
    }
    return text.split(/\r?\n/)[0] ?? '';
  }
  ctx.output.note('Paste your API key (it starts with inbox_sk_; ./scripts/dev.sh prints the demo key):');
  process.stderr.write('API key: ');
  return new Promise<string>((resolve, reject) => {
    let key = '';
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    const finish = (error?: CliError) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(key);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new CliError('Cancelled.', ExitCode.Usage, undefined, 'cancelled'));
        if (char === '\u007f' || char === '\b') key = key.slice(0, -1);
        else if (char >= ' ') key += char;
      }
    };
    stdin.on('data', onData);
  });
}
