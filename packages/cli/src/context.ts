import { Inbox } from '@inbox/sdk';
import type { Command } from 'commander';
import { configPath, readConfig } from './config.js';
import { CliError, ExitCode, toCliError } from './errors.js';
import { Output } from './output.js';

export const DEFAULT_API_URL = 'http://localhost:3000';

/** The options every command takes (defined on the program, accepted before or after the command). */
export interface GlobalOptions {
  apiKey?: string;
  apiUrl?: string;
  json: boolean;
  /** false with `--no-color`. */
  color: boolean;
}

/** Where the key came from, for messages (`inbox login` says which one it checked). */
export type KeySource = 'flag' | 'env' | 'config';

export interface Credentials {
  apiKey: string;
  apiUrl: string;
  source: KeySource;
}

/**
 * What commands get: the parsed global options, the output, and the SDK client, resolved lazily at
 * action time (global options are only known once commander has parsed the whole line).
 *
 * Precedence: `--api-key` > `INBOX_API_KEY` > the config `inbox login` wrote; `--api-url` >
 * `INBOX_API_URL` > the URL saved with the key > http://localhost:3000.
 */
export class CliContext {
  private outputCache: Output | undefined;
  private resolvedApiUrl: string | undefined;

  constructor(
    readonly program: Command,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The global options as parsed. */
  options(): GlobalOptions {
    const opts = this.program.opts<{ apiKey?: string; apiUrl?: string; json?: boolean; color?: boolean }>();
    return { apiKey: opts.apiKey, apiUrl: opts.apiUrl, json: opts.json === true, color: opts.color !== false };
  }

  get output(): Output {
    this.outputCache ??= new Output({ ...this.options(), env: this.env });
    return this.outputCache;
  }

  /** Path of the config file `inbox login` writes. */
  configPath(): string {
    return configPath(this.env);
  }

  /** The platform URL without a key (for messages before credentials are known). */
  apiUrlHint(): string {
    return this.resolvedApiUrl ?? this.options().apiUrl ?? nonEmpty(this.env.INBOX_API_URL) ?? DEFAULT_API_URL;
  }

  /** The key and platform URL, or a `CliError` (exit 3) saying how to provide a key. */
  async credentials(): Promise<Credentials> {
    const credentials = await this.resolveCredentials();
    this.resolvedApiUrl = credentials.apiUrl;
    return credentials;
  }

  private async resolveCredentials(): Promise<Credentials> {
    const { apiKey: flagKey, apiUrl: flagUrl } = this.options();
    const envUrl = nonEmpty(this.env.INBOX_API_URL);
    if (flagKey !== undefined && flagKey !== '')
      return { apiKey: flagKey, apiUrl: flagUrl ?? envUrl ?? DEFAULT_API_URL, source: 'flag' };
    const envKey = nonEmpty(this.env.INBOX_API_KEY);
    if (envKey) return { apiKey: envKey, apiUrl: flagUrl ?? envUrl ?? DEFAULT_API_URL, source: 'env' };
    const stored = await readConfig(this.configPath());
    if (stored) {
      const storedUrl = stored.api_url ?? DEFAULT_API_URL;
      const apiUrl = flagUrl ?? envUrl ?? storedUrl;
      // The saved key goes only to the platform it was saved for, never to another URL a flag or
      // a project's environment names.
      if (sameOrigin(apiUrl, storedUrl)) return { apiKey: stored.api_key, apiUrl, source: 'config' };
      throw new CliError(
        `The saved API key is for ${storedUrl}, not ${apiUrl}.`,
        ExitCode.Auth,
        `Run \`inbox login --api-url ${apiUrl}\`, set INBOX_API_KEY, or pass --api-key.`,
        'no_api_key',
      );
    }
    throw new CliError(
      'No API key.',
      ExitCode.Auth,
      'Run `inbox login`, set INBOX_API_KEY, or pass --api-key (./scripts/dev.sh prints the demo key).',
      'no_api_key',
    );
  }

  /** An SDK client for these credentials. Few retries: a person is waiting, and exit 5 says what to do. */
  async client(): Promise<{ inbox: Inbox; credentials: Credentials }> {
    const credentials = await this.credentials();
    const inbox = newClient(credentials);
    return { inbox, credentials };
  }

  /** Prints the error (with what to do) and sets the exit code; used by `action`. */
  fail(error: unknown, apiUrl = this.apiUrlHint()): void {
    const cliError = toCliError(error, { apiUrl });
    this.output.error(cliError);
    process.exitCode = cliError.exitCode;
  }

  /**
   * Wraps a command's action: runs it, and turns whatever it throws into a message and exit code.
   * Every command's action goes through this.
   */
  action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
    return async (...args: A) => {
      try {
        await fn(...args);
      } catch (error) {
        this.fail(error);
      }
    };
  }
}

export function newClient(credentials: Pick<Credentials, 'apiKey' | 'apiUrl'>): Inbox {
  return new Inbox(credentials.apiKey, { baseUrl: credentials.apiUrl, maxRetries: 1, timeoutMs: 15_000 });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Whether two platform URLs name the same origin (scheme, host and port). */
function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return a === b;
  }
}
