import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const packages = fileURLToPath(new URL('../../', import.meta.url));

// What a user gets from the registry: the packed CLI (with `workspace:*` rewritten to versions by
// `pnpm pack`) and the packed packages it depends on from this repo, installed with npm into an
// empty directory; `npx inbox --help` must work there.
describe('the packed @inbox/cli', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'inbox-cli-pack-'));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('installs with npm in an empty directory and `npx inbox --help` lists the commands', async () => {
    const tarballs: string[] = [];
    for (const name of ['signing', 'sdk', 'cli']) {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', dir], { cwd: join(packages, name) });
      tarballs.push(stdout.trim().split('\n').pop()!.trim());
    }
    const cliTarball = tarballs[2]!;
    expect(cliTarball).toMatch(/inbox-cli-0\.1\.0\.tgz$/);

    const { stdout: listing } = await run('tar', ['-tzf', cliTarball]);
    const files = listing.trim().split('\n').sort();
    expect(files).toContain('package/dist/main.js');
    expect(files).toContain('package/README.md');
    expect(files.filter((f) => /\.(ts|map)$/.test(f) || f.includes('/test/') || f.includes('/src/'))).toEqual([]);
    const { stdout: manifest } = await run('tar', ['-xzOf', cliTarball, 'package/package.json']);
    const pkg = JSON.parse(manifest) as { dependencies: Record<string, string>; bin: Record<string, string> };
    expect(pkg.dependencies['@inbox/sdk']).toBe('0.1.0');
    expect(pkg.bin).toEqual({ inbox: './dist/main.js' });

    const app = join(dir, 'app');
    await run('mkdir', ['-p', app]);
    await writeFile(join(app, 'package.json'), '{"name":"app","private":true}\n');
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs], { cwd: app, timeout: 50_000 });

    const main = await readFile(join(app, 'node_modules/@inbox/cli/dist/main.js'), 'utf8');
    expect(main.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const { stdout } = await run('npx', ['--no-install', 'inbox', '--help'], { cwd: app, env });
    expect(stdout).toMatch(/^Usage: inbox \[options\] \[command\]/);
    for (const command of ['login', 'webhooks', 'trigger', 'logs', 'resend', 'event-types', 'listen']) expect(stdout).toContain(`  ${command}`);
    const { stdout: version } = await run('npx', ['--no-install', 'inbox', '--version'], { cwd: app, env });
    expect(version.trim()).toBe('0.1.0');
  }, 60_000);
});
