import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { writeConfig } from './config.js';
import { CliContext } from './context.js';

describe('CliContext credentials', () => {
  let home: string;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'inbox-cli-context-'));
    await writeConfig(join(home, 'inbox', 'config.json'), { api_key: 'inbox_sk_saved', api_url: 'https://api.example.com' });
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  const context = (env: Record<string, string>, args: string[] = []) => {
    const program = new Command().option('--api-key <key>').option('--api-url <url>').exitOverride();
    program.parse(args, { from: 'user' });
    return new CliContext(program, { XDG_CONFIG_HOME: home, ...env });
  };

  it('uses the saved key with the platform it was saved for', async () => {
    await expect(context({}).credentials()).resolves.toEqual({ apiKey: 'inbox_sk_saved', apiUrl: 'https://api.example.com', source: 'config' });
    await expect(context({ INBOX_API_URL: 'https://api.example.com/' }).credentials()).resolves.toMatchObject({ apiKey: 'inbox_sk_saved' });
  });

  it('never sends the saved key to another platform a flag or the environment names', async () => {
    await expect(context({ INBOX_API_URL: 'https://evil.example.net' }).credentials()).rejects.toThrow('The saved API key is for https://api.example.com, not https://evil.example.net.');
    await expect(context({}, ['--api-url', 'http://localhost:3000']).credentials()).rejects.toMatchObject({ exitCode: 3 });
  });

  it('prefers a key given by flag or environment, with any platform', async () => {
    await expect(context({ INBOX_API_KEY: 'inbox_sk_env', INBOX_API_URL: 'http://localhost:3000' }).credentials()).resolves.toEqual({
      apiKey: 'inbox_sk_env',
      apiUrl: 'http://localhost:3000',
      source: 'env',
    });
  });
});
