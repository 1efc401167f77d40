import { mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configPath, readConfig, removeConfig, writeConfig } from './config.js';

describe('config', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'inbox-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lives in $XDG_CONFIG_HOME/inbox, else ~/.config/inbox', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/x' })).toBe('/x/inbox/config.json');
    expect(configPath({ XDG_CONFIG_HOME: '' })).toMatch(/\/\.config\/inbox\/config\.json$/);
  });

  it('writes 0600 in a 0700 directory, also over an older, looser file', async () => {
    const path = join(dir, 'inbox', 'config.json');
    await writeConfig(path, { api_key: 'k1' });
    await chmod(path, 0o644);
    await writeConfig(path, { api_key: 'k2', api_url: 'http://h' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'inbox'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ api_key: 'k2', api_url: 'http://h' });
    await expect(readConfig(path)).resolves.toEqual({ api_key: 'k2', api_url: 'http://h' });
  });

  it('no file: undefined; not JSON: an error naming the file; removeConfig says whether there was one', async () => {
    const path = join(dir, 'config.json');
    await expect(readConfig(path)).resolves.toBeUndefined();
    await expect(removeConfig(path)).resolves.toBe(false);
    await writeFile(path, '{oops');
    await expect(readConfig(path)).rejects.toThrow(`${path} is not valid JSON`);
    await expect(removeConfig(path)).resolves.toBe(true);
  });
});
