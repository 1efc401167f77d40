import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What `inbox login` saves. */
export interface StoredConfig {
  api_key: string;
  /** The platform the key was verified against. */
  api_url?: string;
}

/** `$XDG_CONFIG_HOME/inbox/config.json`, else `~/.config/inbox/config.json` (macOS too). */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'inbox', 'config.json');
}

/** The saved config, or undefined when there is none. A file that is not ours is an error that names it. */
export async function readConfig(path: string): Promise<StoredConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON: run \`inbox logout\` and \`inbox login\` again`);
  }
  const value = parsed as Partial<StoredConfig> | null;
  if (!value || typeof value.api_key !== 'string' || value.api_key === '') return undefined;
  return { api_key: value.api_key, ...(typeof value.api_url === 'string' ? { api_url: value.api_url } : {}) };
}

/** Writes the config readable by its owner only: the directory 0700, the file 0600 (also when it existed). */
export async function writeConfig(path: string, config: StoredConfig): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  // A new file, 0600 from its first byte, then renamed over the old one: the key is never readable
  // through an older, wider file's mode, and a crash leaves either the old file or the new one.
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await rename(temporary, path);
}

/** Removes the config; true when there was one. */
export async function removeConfig(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
