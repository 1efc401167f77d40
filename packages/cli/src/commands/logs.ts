import type { AttemptLog, DeliveryStatus, Inbox, LogsParams } from '@inbox/sdk';
import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import type { Column } from '../output.js';
import { intInRange, webhookId } from '../validate.js';

interface LogsOptions {
  follow?: boolean;
  status?: DeliveryStatus;
  limit: number;
  interval: number;
}

/**
 * An attempt can be logged after a later one (it started first but took longer), so each poll asks
 * for attempts since the newest one seen minus this window, and skips the ids already printed.
 * Wider than the longest delivery timeout.
 */
const FOLLOW_OVERLAP_MS = 120_000;

/** `inbox logs <wh_…> [--follow] [--status …] [--limit N]`. */
export function registerLogs(program: Command, ctx: CliContext): void {
  program
    .command('logs')
    .description("Show a webhook's delivery attempts (oldest of the last N first); --follow prints new ones as they happen")
    .argument('<webhook-id>', 'the webhook (wh_…)')
    .option('-f, --follow', 'keep printing new attempts until Ctrl-C')
    .addOption(new Option('--status <status>', "only attempts whose delivery is now in this status").choices(['failed', 'succeeded', 'pending']))
    .option('--limit <n>', 'how many recent attempts to show first (1-250)', intInRange(1, 250), 20)
    .addOption(new Option('--interval <ms>', 'poll interval with --follow').argParser(intInRange(100, 60_000)).default(1000).hideHelp())
    .addHelpText(
      'after',
      `
Examples:
  $ inbox logs wh_01JB...
  $ inbox logs wh_01JB... --follow --status failed
  $ inbox logs wh_01JB... --json | jq '.[] | select(.succeeded | not)'   # --follow --json: one JSON object per line`,
    )
    .action(
      ctx.action(async (id: string, options: LogsOptions) => {
        webhookId(id);
        const { inbox } = await ctx.client();
        if (options.follow) await follow(ctx, inbox, id, options);
        else await show(ctx, inbox, id, options);
      }),
    );
}

async function show(ctx: CliContext, inbox: Inbox, id: string, options: LogsOptions): Promise<void> {
  const page = await inbox.webhooks.logs(id, filters(options, options.limit)).page();
  const attempts = [...page.data].reverse();
  const out = ctx.output;
  out.result(attempts, () => {
    if (attempts.length === 0) {
      out.line(`No attempts${options.status ? ` with status ${options.status}` : ''} yet. Send one: inbox trigger message.delivered --webhook ${id}`);
      return;
    }
    out.table(attempts, attemptColumns(ctx));
  });
}

async function follow(ctx: CliContext, inbox: Inbox, id: string, options: LogsOptions): Promise<void> {
  const out = ctx.output;
  const columns = attemptColumns(ctx);
  // Fixed widths, so rows printed one poll at a time line up under one header.
  const widths = [20, 17, 30, 7, 24, 8];
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const seen = new Set<string>();
  let newest: string | undefined;
  const print = (attempts: AttemptLog[]) => {
    const fresh = attempts.filter((a) => !seen.has(a.id)).sort(byTime);
    for (const attempt of fresh) {
      seen.add(attempt.id);
      if (newest === undefined || attempt.requested_at > newest) newest = attempt.requested_at;
      if (out.json) out.printJson(attempt);
      else out.row(attempt, columns, widths);
    }
  };
  try {
    const first = await inbox.webhooks.logs(id, filters(options, options.limit), { signal: stop.signal }).page();
    out.headerRow(columns, widths);
    print(first.data);
    out.note(out.colors.dim(`Following ${id}: new attempts appear here. Ctrl-C to stop.`));
    while (!stop.signal.aborted) {
      await sleep(options.interval, stop.signal);
      if (stop.signal.aborted) break;
      const since = newest === undefined ? undefined : new Date(Date.parse(newest) - FOLLOW_OVERLAP_MS).toISOString();
      const attempts: AttemptLog[] = [];
      const list = inbox.webhooks.logs(id, { ...filters(options, 250), ...(since ? { since } : {}) }, { signal: stop.signal });
      for await (const page of list.pages()) {
        attempts.push(...page.data);
        // Everything on this page was already printed: older pages were too.
        if (page.data.every((a) => seen.has(a.id)) || attempts.length >= 1000) break;
      }
      print(attempts);
      // The seen set only needs the overlap window.
      if (seen.size > 10_000) seen.clear();
    }
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  // Ctrl-C is how --follow ends: a success.
  process.exitCode = 0;
}

function filters(options: LogsOptions, limit: number): LogsParams {
  return { limit, ...(options.status ? { status: options.status } : {}) };
}

const byTime = (a: AttemptLog, b: AttemptLog) => (a.requested_at < b.requested_at ? -1 : a.requested_at > b.requested_at ? 1 : a.attempt - b.attempt);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** What an attempt got: `200`, `500`, `connection_refused`… */
export function outcome(a: AttemptLog): string {
  if (a.status_code !== null) return a.error ? `${a.status_code} ${a.error}` : String(a.status_code);
  return a.error ?? 'no response';
}

function attemptColumns(ctx: CliContext): Column<AttemptLog>[] {
  const c = ctx.output.colors;
  return [
    { header: 'TIME', cell: (a) => a.requested_at.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') },
    { header: 'EVENT TYPE', cell: (a) => a.event_type },
    { header: 'EVENT ID', cell: (a) => a.event_id },
    { header: 'ATTEMPT', cell: (a) => `#${a.attempt}` },
    { header: 'RESULT', cell: outcome, paint: (a, text) => (a.succeeded ? c.green(text) : c.red(text)) },
    { header: 'DURATION', cell: (a) => `${a.duration_ms} ms` },
  ];
}
