// Creates the demo account once (kept in .dev/demo.json) and prints what the docs' curl commands need.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const base = process.argv[2] ?? 'http://localhost:3000';
const file = new URL('../../.dev/demo.json', import.meta.url);

async function keyWorks(apiKey) {
  const res = await fetch(`${base}/v1/webhooks?limit=1`, { headers: { authorization: `Bearer ${apiKey}` } });
  return res.status === 200;
}

let demo = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
if (!demo || !(await keyWorks(demo.api_key))) {
  const res = await fetch(`${base}/internal/v1/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${process.env.INBOX_INTERNAL_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Demo account' }),
  });
  if (res.status !== 201) {
    console.error(`could not create the demo account: ${res.status} ${await res.text()}`);
    process.exit(1);
  }
  const body = await res.json();
  demo = { account_id: body.id, api_key: body.api_key };
  writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
}

console.log(`
Inbox Webhooks is running.

  Dashboard      ${base}/dashboard  (sign in with the demo API key)
  API base URL   ${base}            (OpenAPI: ${base}/docs)
  Demo account   ${demo.account_id}
  Demo API key   ${demo.api_key}

  export INBOX_API_KEY=${demo.api_key}

Register a webhook (the docs' curl, pointed here):

  curl -X POST ${base}/v1/webhooks \\
    -H "Authorization: Bearer $INBOX_API_KEY" \\
    -H "Content-Type: application/json" \\
    -d '{"url": "https://yourapp.com/webhooks/inbox", "events": ["message.delivered", "message.read", "message.failed"], "description": "Production webhook endpoint"}'

Press Ctrl-C to stop.
`);
