import pg from '/work/main/packages/testing/node_modules/pg/lib/index.js';
import { launchBrowser } from './support/browser.js';
import { startPlatform } from './support/platform.js';

it('readme shot', async () => {
  const platform = await startPlatform('readme_shot');
  const browser = await launchBrowser();
  try {
    platform.receiver.setHandler((_r, i) => ({ status: i % 13 === 5 ? 503 : 200, body: 'OK', delayMs: 15 + ((i * 37) % 90) }));
    const wh = await platform.v1<{ id: string }>('POST', '/v1/webhooks', { url: `${platform.receiver.url}/webhooks/inbox`, events: ['message.delivered', 'message.read', 'message.failed'], description: 'Production webhook endpoint' });
    await platform.v1('POST', '/v1/webhooks', { url: `${platform.receiver.url}/hooks/analytics`, events: ['message.read'], description: 'Analytics pipeline' });
    const types = ['message.delivered', 'message.read', 'message.failed'];
    for (let i = 0; i < 140; i++) await platform.v1('POST', '/v1/webhooks/test', { webhook_id: wh.body.id, event_type: types[i % 3] });
    await new Promise((r) => setTimeout(r, 6000));
    const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'inbox_test_readme_shot_%' ORDER BY oid DESC LIMIT 1`);
    await admin.end();
    const db = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${rows[0].datname}` });
    await db.connect();
    await db.query(`WITH r AS (SELECT id, row_number() OVER (ORDER BY id DESC) n FROM attempts) UPDATE attempts a SET requested_at = now() - (r.n * interval '10 minutes') + interval '9 minutes', duration_ms = duration_ms + (r.n % 24) * 6 FROM r WHERE a.id = r.id`);
    await db.end();
    const page = browser.page;
    await page.goto(`${platform.url}/dashboard`);
    await page.getByLabel('API key').fill(platform.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: /webhooks\/inbox/ }).click();
    await page.getByRole('table', { name: 'Delivery attempts' }).waitFor();
    await new Promise((r) => setTimeout(r, 1500));
    await page.screenshot({ path: '/tmp/readme-dashboard.png', fullPage: true });
  } finally {
    await browser.close();
    await platform.close();
  }
}, 120_000);
