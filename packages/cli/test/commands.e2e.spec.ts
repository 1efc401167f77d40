import { stat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startReceiver, type Receiver } from '@inbox/testing';
import type { AttemptLog, EventTypeInfo, Webhook, WebhookWithSecret } from '@inbox/sdk';
import { closedPort, startPlatform, type Platform } from './support/platform.js';

// The built CLI against the built API and dispatcher, all as real processes.
describe('inbox CLI against the real platform', () => {
  let platform: Platform;
  let receiver: Receiver;
  let apiKey: string;

  beforeAll(async () => {
    [platform, receiver] = await Promise.all([startPlatform('cli_cmds'), startReceiver()]);
    ({ apiKey } = await platform.createAccount());
  }, 60_000);

  afterAll(async () => {
    await receiver?.close();
    await platform?.close();
  });

  const cli = (args: string[], options: Parameters<Platform['cli']>[1] = {}) => platform.cli(args, { apiKey, ...options });

  async function createWebhook(path: string, events = 'message.delivered,message.read'): Promise<WebhookWithSecret> {
    const res = await cli(['webhooks', 'create', '--url', `${receiver.url}${path}`, '--events', events, '--json']);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(res.stdout) as WebhookWithSecret;
  }

  it('webhooks create / list / delete, for people and with --json', async () => {
    const human = await cli(['webhooks', 'create', '--url', `${receiver.url}/human`, '--events', 'message.failed', '--description', 'Local dev']);
    expect(human.code).toBe(0);
    const id = /Created webhook (wh_\w+)/.exec(human.stdout)?.[1];
    expect(id).toBeDefined();
    expect(human.stdout).toMatch(/Secret: +whsec_\S+/);
    expect(human.stdout).not.toContain('\u001b['); // no colour when stdout is not a TTY

    const created = await createWebhook('/json');
    expect(created).toMatchObject({ id: expect.stringMatching(/^wh_/), secret: expect.stringMatching(/^whsec_/), events: ['message.delivered', 'message.read'] });

    const listed = await cli(['webhooks', 'list', '--json']);
    expect(listed.code).toBe(0);
    const webhooks = JSON.parse(listed.stdout) as Webhook[];
    expect(webhooks.map((w) => w.id)).toEqual([created.id, id]);
    expect(listed.stdout).not.toContain('whsec_');

    const table = await cli(['webhooks', 'list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +URL +EVENTS +STATUS +CREATED +DESCRIPTION$/);
    expect(lines[1]).toContain(created.id);
    expect(lines[2]).toMatch(new RegExp(`^${id} +${receiver.url}/human +message.failed +enabled .* Local dev$`));

    const deleted = await cli(['webhooks', 'delete', id!]);
    expect(deleted).toMatchObject({ code: 0, stdout: `✓ Deleted webhook ${id}\n` });
    const deletedJson = await cli(['webhooks', 'delete', created.id, '--json']);
    expect(JSON.parse(deletedJson.stdout)).toEqual({ id: created.id, deleted: true });
    expect(JSON.parse((await cli(['webhooks', 'list', '--json'])).stdout)).toEqual([]);

    const again = await cli(['webhooks', 'delete', id!]);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('inbox webhooks list');
  });

  it('trigger sends a test event the receiver gets; logs --follow prints new attempts and exits 0 on Ctrl-C; logs --json', async () => {
    const webhook = await createWebhook('/trigger');
    const follow = platform.spawnCli(['logs', webhook.id, '--follow', '--interval', '200'], { apiKey });
    await follow.waitFor(/Following wh_/, { stream: 'stderr' });
    expect(follow.stdout).toMatch(/^TIME +EVENT TYPE +EVENT ID +ATTEMPT +RESULT +DURATION\n$/);

    const sent = await cli(['trigger', 'message.delivered', '--webhook', webhook.id, '--json']);
    expect(sent.code).toBe(0);
    const result = JSON.parse(sent.stdout) as { event_id: string; delivery_id: string };
    expect(result).toEqual({
      event_type: 'message.delivered',
      webhook_id: webhook.id,
      event_id: expect.stringMatching(/^evt_/),
      delivery_id: expect.stringMatching(/^dlv_/),
      delivery_ids: [result.delivery_id],
    });
    const eventId = result.event_id;
    const [request] = await receiver.waitFor(1, { filter: (r) => r.headers['x-inbox-event-id'] === eventId });
    expect(request!.path).toBe('/trigger');
    expect(request!.headers['x-inbox-event-type']).toBe('message.delivered');

    const line = await follow.waitFor(new RegExp(`^.*message\\.delivered +${eventId} +#1 +200 +\\d+ ms$`, 'm'), { stream: 'stdout', timeoutMs: 8000 });
    expect(line[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    const stopped = await follow.stop('SIGINT');
    expect(stopped.code).toBe(0);
    // Printed once, though every poll's window covers it.
    expect(stopped.stdout.split(eventId).length - 1).toBe(1);

    // Without --webhook: every enabled webhook (and listen session) subscribed to the type.
    const human = await cli(['trigger', 'message.read']);
    expect(human.stdout).toMatch(/^✓ Sent message.read evt_\w+ to \d+ subscribers? \(deliver(y|ies) dlv_\w+/);
    expect(human.code).toBe(0);
    const action = await cli(['trigger', 'message.action']);
    expect(action.stderr).toMatch(/^Error: Nothing subscribes to message.action[\s\S]*inbox listen/);
    expect(action.code).toBe(1);

    const logs = await cli(['logs', webhook.id, '--json']);
    expect(logs.code).toBe(0);
    const attempts = JSON.parse(logs.stdout) as AttemptLog[];
    expect(attempts[0]).toMatchObject({ event_id: eventId, event_type: 'message.delivered', attempt: 1, status_code: 200, succeeded: true });

    const failed = await cli(['logs', webhook.id, '--status', 'failed', '--json']);
    expect(JSON.parse(failed.stdout)).toEqual([]);
  });

  it('logs --follow --json prints one attempt per line', async () => {
    const webhook = await createWebhook('/follow-json');
    const follow = platform.spawnCli(['logs', webhook.id, '-f', '--json', '--interval', '200'], { apiKey });
    await follow.waitFor(/Following/, { stream: 'stderr' });
    const sent = JSON.parse((await cli(['trigger', 'message.read', '--webhook', webhook.id, '--json'])).stdout) as { event_id: string };
    await follow.waitFor(/"succeeded":true/, { stream: 'stdout', timeoutMs: 8000 });
    const stopped = await follow.stop('SIGINT');
    expect(stopped.code).toBe(0);
    const lines = stopped.stdout.trim().split('\n').map((l) => JSON.parse(l) as AttemptLog);
    expect(lines).toEqual([expect.objectContaining({ event_id: sent.event_id, status_code: 200 })]);
  });

  it('resend sends an event again as a new delivery', async () => {
    const webhook = await createWebhook('/resend');
    const sent = JSON.parse((await cli(['trigger', 'message.delivered', '--webhook', webhook.id, '--json'])).stdout) as { event_id: string };
    const eventId = sent.event_id;
    await receiver.waitFor(1, { filter: (r) => r.headers['x-inbox-event-id'] === eventId });
    // The first delivery must have finished (a pending one refuses a resend).
    for (let i = 0; i < 50; i++) {
      const logs = JSON.parse((await cli(['logs', webhook.id, '--json'])).stdout) as AttemptLog[];
      if (logs.some((l) => l.event_id === eventId && l.delivery_status === 'succeeded')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const res = await cli(['resend', webhook.id, eventId]);
    expect(res.stdout).toMatch(new RegExp(`Resending ${eventId} to ${webhook.id} \\(delivery dlv_\\w+\\)`));
    expect(res.code).toBe(0);
    await receiver.waitFor(2, { filter: (r) => r.headers['x-inbox-event-id'] === eventId });
  });

  it("event-types --json equals the API's list", async () => {
    const res = await cli(['event-types', '--json']);
    expect(res.code).toBe(0);
    const api = await fetch(`${platform.apiUrl}/v1/event-types`, { headers: { authorization: `Bearer ${apiKey}` } });
    const body = (await api.json()) as { data: EventTypeInfo[] };
    expect(JSON.parse(res.stdout)).toEqual(body.data);
    const human = await cli(['event-types']);
    expect(human.stdout).toMatch(/^TYPE +DESCRIPTION\nmessage\.delivered +\S/);
  });

  describe('errors: message, what to do, exit code', () => {
    // Each case is a process of its own: run them side by side.
    const usage: Array<[string[], RegExp]> = [
      [['webhooks', 'list', '--bogus'], /unknown option '--bogus'[\s\S]*--help/],
      [['webhook'], /unknown command 'webhook'[\s\S]*Did you mean webhooks\?/],
      [['logs', 'nope'], /"nope" is not a webhook id[\s\S]*inbox webhooks list/],
      [['trigger', 'message.unknown'], /Unknown event type "message.unknown"[\s\S]*Known types: message.delivered/],
      [['trigger', 'message.read', '--webhook', 'evt_1'], /"evt_1" is not a webhook id/],
      [['resend', 'wh_01ABC', 'nope'], /"nope" is not an event id/],
      [['resend', 'wh_01ABC'], /missing required argument 'event-id'/],
      [['logs', 'wh_01ABC', '--status', 'broken'], /option '--status <status>' argument 'broken' is invalid/],
      [['logs', 'wh_01ABC', '--limit', '0'], /option '--limit <n>' argument '0' is invalid/],
      [['webhooks', 'create', '--url', 'http://x.test'], /required option '--events <types>' not specified/],
      [['webhooks', 'create', '--url', 'ftp://x', '--events', 'all'], /--url <url>.*must be an http/],
      [['webhooks', 'create', '--url', 'http://x.test', '--events', 'message.nope'], /unknown event type "message.nope"/],
    ];

    it('bad flags, arguments and commands exit 2 with a message naming them', async () => {
      // A few at a time: each is a Node process, and these machines have two cores.
      const results = [];
      for (let i = 0; i < usage.length; i += 4) results.push(...(await Promise.all(usage.slice(i, i + 4).map(([args]) => cli(args)))));
      results.forEach((res, i) => {
        const [args, message] = usage[i]!;
        expect({ args, code: res.code, stdout: res.stdout, matches: message.test(res.stderr) || res.stderr }).toEqual({ args, code: 2, stdout: '', matches: true });
      });
    });

    it('an unreachable platform exits 5 saying how to start it', async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;
      const res = await cli(['webhooks', 'list', '--api-url', url]);
      expect(res.stderr).toBe(
        `Error: Cannot reach the Inbox platform at ${url} (connection refused).\nIs it running? Start it with ./scripts/dev.sh or pass --api-url.\n`,
      );
      expect(res.code).toBe(5);
      const json = await cli(['event-types', '--json'], { env: { INBOX_API_URL: url } });
      expect(json.code).toBe(5);
      expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'unreachable', exit_code: 5 } });
    });

    it('a wrong key exits 3 with "Invalid API key" and the fix', async () => {
      const res = await cli(['webhooks', 'list'], { apiKey: 'inbox_sk_wrong' });
      expect(res.code).toBe(3);
      expect(res.stderr).toContain('Invalid API key');
      expect(res.stderr).toContain('inbox login');
    });

    it('no key at all exits 3 saying where keys come from', async () => {
      const res = await platform.cli(['webhooks', 'list']);
      expect(res.code).toBe(3);
      expect(res.stderr).toMatch(/No API key[\s\S]*inbox login[\s\S]*INBOX_API_KEY/);
    });
  });

  it('login checks the key, saves it 0600 in $XDG_CONFIG_HOME/inbox, later commands use it; logout removes it', async () => {
    const { apiKey: otherKey } = await platform.createAccount('Login Inc');
    const wrong = await platform.cli(['login', '--api-key', 'inbox_sk_wrong']);
    expect(wrong.code).toBe(3);
    const path = join(platform.configHome, 'inbox', 'config.json');
    await expect(stat(path)).rejects.toThrow();

    // The key on stdin (not a TTY), the URL from INBOX_API_URL.
    const login = await platform.cli(['login'], { stdin: `${otherKey}\n` });
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`Logged in to ${platform.apiUrl}`);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(platform.configHome, 'inbox'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ api_key: otherKey, api_url: platform.apiUrl });

    // No INBOX_API_KEY and no INBOX_API_URL: both from the config.
    const created = await platform.cli(['webhooks', 'create', '--url', `${receiver.url}/login`, '--events', 'all', '--json'], { env: { INBOX_API_URL: undefined } });
    expect(created.code).toBe(0);
    const listed = await platform.cli(['webhooks', 'list', '--json'], { env: { INBOX_API_URL: undefined } });
    expect((JSON.parse(listed.stdout) as Webhook[]).map((w) => w.url)).toEqual([`${receiver.url}/login`]);

    const logout = await platform.cli(['logout']);
    expect(logout.code).toBe(0);
    await expect(stat(path)).rejects.toThrow();
    expect((await platform.cli(['webhooks', 'list'])).code).toBe(3);
  });

  it('--help works on every command, with an example', async () => {
    const top = await platform.cli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['login', 'logout', 'webhooks', 'trigger', 'logs', 'resend', 'event-types', 'listen']) expect(top.stdout).toContain(`  ${command}`);
    const commands = [['login'], ['logout'], ['webhooks'], ['webhooks', 'list'], ['webhooks', 'create'], ['webhooks', 'delete'], ['trigger'], ['logs'], ['resend'], ['event-types']];
    const helps = [];
    for (let i = 0; i < commands.length; i += 4) helps.push(...(await Promise.all(commands.slice(i, i + 4).map((c) => platform.cli([...c, '--help'])))));
    helps.forEach((help, i) => {
      expect({ command: commands[i], code: help.code }).toEqual({ command: commands[i], code: 0 });
      expect(help.stdout).toMatch(/Examples?:\n {2}\$ inbox /);
    });
  });
});
