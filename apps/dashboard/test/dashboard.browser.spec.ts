import type { Page } from 'playwright-core';
import { accessibilityProblems, launchBrowser, type Browser } from './support/browser.js';
import { startPlatform, type Platform } from './support/platform.js';

/**
 * The dashboard in Debian's Chromium against the real, built platform (API serving the built
 * dashboard, dispatcher, a local receiver): a customer's whole visit, flow by flow, with a
 * screenshot of each page (.test-results/dashboard-screenshots/) and axe-core on each.
 */
describe('the dashboard, in a real browser', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let webhookId: string;
  let eventId: string;
  const a11y: Record<string, string[]> = {};

  /** Records axe's serious and critical findings on the page, and a screenshot of it. */
  async function capture(name: string): Promise<void> {
    a11y[name] = await accessibilityProblems(page);
    await browser.screenshot(name);
  }

  const region = (name: string) => page.getByRole('region', { name });

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startPlatform('dashboard_browser'), launchBrowser()]);
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('refuses a wrong key with an alert, signs in with the right one, and keeps the key out of every script-readable store', async () => {
    await page.goto(`${platform.url}/dashboard`);
    await page.getByRole('heading', { name: 'Sign in to your dashboard' }).waitFor();
    await page.getByLabel('API key').fill(`inbox_sk_${'x'.repeat(43)}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('not valid');
    await capture('1-sign-in');

    await page.getByLabel('API key').fill(platform.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByText('No webhooks yet').waitFor();
    await capture('2-webhooks-empty');

    const stores = await page.evaluate(() => ({ cookie: document.cookie, local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) }));
    expect(JSON.stringify(stores)).not.toContain(platform.apiKey);
    expect(stores.cookie).not.toContain('inbox_session');
    const [cookie] = (await browser.context.cookies(platform.url)).filter((c) => c.name === 'inbox_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie!.expires).toBeGreaterThan(Date.now() / 1000);
  });

  it("creates a webhook through the form, after the API's field error shows next to its field", async () => {
    await page.getByRole('link', { name: 'New webhook' }).click();
    await page.getByLabel('URL').fill('not a url');
    await page.getByLabel('Description').fill('Order notifications');
    await page.getByRole('checkbox', { name: 'message.delivered' }).check();
    await page.getByRole('checkbox', { name: 'message.read' }).check();
    await page.getByRole('button', { name: 'Create' }).click();
    const url = page.getByLabel('URL');
    await page.locator('input[aria-invalid="true"]').waitFor();
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await url.getAttribute('aria-describedby'))!.split(' ')[0]!;
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toMatch(/url/i);
    await capture('3-new-webhook-field-error');

    await url.fill(`${platform.receiver.url}/webhooks/inbox`);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Webhook created.').waitFor();
    webhookId = new URL(page.url()).pathname.split('/').pop()!;
    expect(webhookId).toMatch(/^wh_/);
    const { body } = await platform.v1<{ url: string; events: string[]; description: string }>('GET', `/v1/webhooks/${webhookId}`);
    expect(body).toMatchObject({ url: `${platform.receiver.url}/webhooks/inbox`, events: ['message.delivered', 'message.read'], description: 'Order notifications' });
  });

  it('sends a test event, watches its row appear with 200, and opens the attempt', async () => {
    await region('Send a test event').getByLabel('Event type').selectOption('message.read');
    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.getByText(/^Sent evt_/).waitFor();
    const row = page.getByRole('table', { name: 'Delivery attempts' }).getByRole('row').filter({ hasText: '200' });
    await row.first().waitFor({ timeout: 20_000 });
    expect(await row.first().textContent()).toContain('message.read');
    expect(platform.receiver.requests).toHaveLength(1);
    eventId = platform.receiver.requests[0]!.headers['x-inbox-event-id'] as string;
    await capture('4-webhook');

    await page.getByRole('link', { name: `Attempt 1 of event ${eventId}` }).click();
    await page.getByRole('heading', { name: eventId }).waitFor();
    const request = region('Request — attempt 1');
    expect(await request.getByRole('row', { name: /x-inbox-event-id/ }).textContent()).toContain(eventId);
    expect(JSON.parse(await request.getByLabel('Request body').textContent() ?? '')).toEqual(JSON.parse(platform.receiver.requests[0]!.body.toString()));
    expect(await region('Response').textContent()).toContain('200');
    await capture('5-attempt');
  });

  it('resends the event: a new delivery with the same event id', async () => {
    await page.getByRole('button', { name: 'Resend' }).click();
    await page.getByText('Sent again as a new delivery.').waitFor();
    await platform.receiver.waitFor(2);
    expect(platform.receiver.requests.map((r) => r.headers['x-inbox-event-id'])).toEqual([eventId, eventId]);
    await page.getByRole('table', { name: 'Attempts of this event' }).getByRole('row').nth(2).waitFor({ timeout: 15_000 });
  });

  it('charts the last 24 hours and lists the webhook with its last delivery', async () => {
    await page.goto(`${platform.url}/dashboard/webhooks/${webhookId}`);
    await page.getByRole('figure', { name: /Success rate\s*100% succeeded/ }).waitFor();
    await page.getByRole('table', { name: 'Delivery attempts' }).getByRole('row').nth(2).waitFor();
    await capture('6-webhook-charts');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    const row = page.getByRole('table', { name: 'Webhooks' }).getByRole('row').filter({ hasText: 'Order notifications' });
    await row.getByText('200').waitFor();
    expect(await row.textContent()).toContain('Enabled');
    await capture('7-webhooks');
    await row.getByRole('link').click();
  });

  it('reveals and rotates the signing secret', async () => {
    const secret = page.getByLabel(/^Signing secret/);
    expect(await secret.textContent()).not.toContain('whsec_A');
    await page.getByRole('button', { name: 'Reveal secret' }).click();
    const before = (await platform.v1<{ secret: string }>('GET', `/v1/webhooks/${webhookId}/secret`)).body.secret;
    await page.getByText(before).waitFor();

    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog', { name: 'Rotate the signing secret?' }).getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByText('New secret in use.').waitFor();
    const after = (await platform.v1<{ secret: string }>('GET', `/v1/webhooks/${webhookId}/secret`)).body.secret;
    expect(after).not.toBe(before);
    await page.getByText(after).waitFor();
  });

  it('deletes the webhook after a confirmation, then signs out, which ends the session', async () => {
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog', { name: 'Delete this webhook?' }).getByRole('button', { name: 'Delete webhook' }).click();
    await page.getByText('No webhooks yet').waitFor();
    expect((await platform.v1('GET', `/v1/webhooks/${webhookId}`)).status).toBe(404);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to your dashboard' }).waitFor();
    expect(await page.evaluate(async () => (await fetch('/v1/webhooks')).status)).toBe(401);
    expect((await browser.context.cookies(platform.url)).filter((c) => c.name === 'inbox_session')).toEqual([]);
  });

  it('has no serious or critical accessibility violation on any page, and no console error', () => {
    expect(Object.keys(a11y)).toHaveLength(7);
    expect(a11y).toEqual(Object.fromEntries(Object.keys(a11y).map((name) => [name, []])));
    expect(browser.consoleErrors).toEqual([]);
  });
});
