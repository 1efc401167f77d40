import { Inbox, NotFoundError, RateLimitError, ValidationError } from '@inbox/sdk';

const inbox = new Inbox(process.env.INBOX_API_KEY!, { baseUrl: process.env.INBOX_API_URL });

/** Registers an endpoint, sends it a test event, and returns the webhook and its secret. */
export async function registerEndpoint(url: string) {
  const webhook = await inbox.webhooks.create({
    url,
    events: ['message.delivered', 'message.read', 'message.failed'],
    description: 'Production webhook endpoint',
  });
  // Keep webhook.secret for your receiver (INBOX_WEBHOOK_SECRET); it is also at inbox.webhooks.secret(id).
  await inbox.webhooks.test(webhook.id, 'message.delivered');
  return webhook;
}

/** Every webhook of the account: the loop follows next_cursor page after page. */
export async function listUrls(): Promise<string[]> {
  const urls: string[] = [];
  for await (const webhook of inbox.webhooks.list()) urls.push(webhook.url);
  return urls;
}

/** The failed attempts of the last hour, newest first. */
export async function recentFailures(webhookId: string) {
  const since = new Date(Date.now() - 3_600_000);
  const failures = [];
  for await (const attempt of inbox.webhooks.logs(webhookId, { since })) {
    if (!attempt.succeeded)
      failures.push(`${attempt.event_type} #${attempt.attempt}: ${attempt.status_code ?? attempt.error}`);
  }
  return failures;
}

/** Errors are typed by status; `code` and `details` come from the API's error body. */
export async function disable(webhookId: string): Promise<'disabled' | 'gone' | 'invalid' | 'slow down'> {
  try {
    const current = await inbox.webhooks.get(webhookId);
    await inbox.webhooks.update(webhookId, {
      url: current.url,
      events: current.events,
      description: current.description,
      status: 'disabled',
    });
    return 'disabled';
  } catch (error) {
    if (error instanceof NotFoundError) return 'gone';
    if (error instanceof ValidationError) return 'invalid'; // error.details names each bad field
    if (error instanceof RateLimitError) return 'slow down'; // after error.retryAfterSeconds
    throw error;
  }
}
