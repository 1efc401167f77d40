import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FIXTURE } from './support/fixtures.js';

// The package as published: built by the test script (tsup), packed with `pnpm pack`, installed with
// npm into an empty project, then used from CommonJS, ESM and TypeScript. zod comes from the registry.

const execFileAsync = promisify(execFile);
// Children run as a user's would: no jest flags, no NODE_PATH from the runner (which would find the
// workspace's packages and hide a missing dependency).
const { NODE_OPTIONS: _options, NODE_PATH: _path, ...cleanEnv } = process.env;
const run = (file: string, args: string[], options: { cwd: string; timeout?: number }) =>
  execFileAsync(file, args, { ...options, env: cleanEnv });
const packageDir = new URL('..', import.meta.url).pathname;
const dist = join(packageDir, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// The signed fixture, and a check that both verifiers accept it and type it, as a script body.
const fixture = JSON.stringify({
  body: FIXTURE.body,
  headers: FIXTURE.headers,
  secret: FIXTURE.secret,
  nowMs: FIXTURE.nowMs,
});
const checks = (sdk: string, web: string) => `
  const f = ${fixture};
  const now = () => f.nowMs;
  const event = ${sdk}.constructEvent(f.body, f.headers, f.secret, { now });
  if (event.type !== 'message.read' || event.data.read_at !== '2025-01-15T10:25:15Z') throw new Error('wrong event');
  if (!${sdk}.verifySignature(f.body, f.headers['x-inbox-signature'], f.secret)) throw new Error('verifySignature');
  let code;
  try { ${sdk}.constructEvent(f.body + ' ', f.headers, f.secret, { now }); } catch (e) { code = e.code; }
  if (code !== 'invalid_signature') throw new Error('tampered body accepted: ' + code);
  if (${sdk}.WebhookVerificationError !== ${web}.WebhookVerificationError) throw new Error('two error classes');
  ${web}.constructEventAsync(f.body, new Headers(f.headers), f.secret, { now })
    .then((e) => console.log('ok', event.id, e.id, typeof ${sdk}.Inbox));
`;

describe('the built package', () => {
  beforeAll(() => {
    if (!existsSync(join(dist, 'index.js')))
      throw new Error('dist/ is missing: the test script builds it (pnpm test), or run pnpm build');
  });

  it('declares no @inbox/* import in its types, and no workspace dependency', () => {
    for (const file of readdirSync(dist).filter((f) => /\.d\.c?ts$/.test(f))) {
      expect(readFileSync(join(dist, file), 'utf8')).not.toMatch(/from ['"]@inbox\//);
    }
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies)).toEqual(['zod']);
  });

  it.each(['web.js', 'web.cjs'])(
    '%s loads and verifies with no Node built-in module at all (Web Crypto only)',
    async (entry) => {
      // Refuse every built-in (node:crypto, crypto, http, …) while loading the Web entry.
      const dir = mkdtempSync(join(tmpdir(), 'inbox-sdk-web-'));
      try {
        writeFileSync(
          join(dir, 'no-builtins.cjs'),
          `const Module = require('node:module');
         const dist = ${JSON.stringify(dist)};
         const load = Module._load;
         Module._load = function (request, parent, ...rest) {
           if (parent?.filename?.startsWith(dist) && Module.isBuiltin(request)) throw new Error('required a Node built-in: ' + request);
           return load.call(this, request, parent, ...rest);
         };
         Module.register('data:text/javascript,' + encodeURIComponent(
           'import { isBuiltin } from "node:module";' +
           'export async function resolve(s, c, next) {' +
           '  if (c.parentURL?.startsWith(' + JSON.stringify('file://' + dist) + ') && isBuiltin(s)) throw new Error("imported a Node built-in: " + s);' +
           '  return next(s, c); }'
         ));`,
        );
        const load = entry.endsWith('.cjs')
          ? `Promise.resolve(require(${JSON.stringify(join(dist, entry))}))`
          : `import(${JSON.stringify(join(dist, entry))})`;
        const script = `${load}.then((web) => {
        const f = ${fixture};
        return web.constructEventAsync(f.body, new Headers(f.headers), f.secret, { now: () => f.nowMs })
          .then((e) => console.log('ok', e.type)); })`;
        const { stdout } = await run(process.execPath, ['--require', join(dir, 'no-builtins.cjs'), '-e', script], {
          cwd: dir,
        });
        expect(stdout.trim()).toBe('ok message.read');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  describe('packed and installed into an empty project', () => {
    let project: string;

    beforeAll(async () => {
      project = mkdtempSync(join(tmpdir(), 'inbox-sdk-pack-'));
      await run('pnpm', ['pack', '--pack-destination', project], { cwd: packageDir });
      const tarball = readdirSync(project).find((f) => f.endsWith('.tgz'));
      if (!tarball) throw new Error('pnpm pack made no tarball');
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
      await run('npm', ['install', `./${tarball}`, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
        cwd: project,
        timeout: 50_000,
      });
    }, 60_000);

    afterAll(() => {
      if (project) rmSync(project, { recursive: true, force: true });
    });

    it('installed only the SDK and zod (no Nest, Express or @inbox/* packages)', () => {
      const installed = readdirSync(join(project, 'node_modules')).filter((name) => !name.startsWith('.'));
      expect(installed.sort()).toEqual(['@inbox', 'zod']);
      expect(readdirSync(join(project, 'node_modules', '@inbox'))).toEqual(['sdk']);
      expect(readdirSync(join(project, 'node_modules', '@inbox', 'sdk')).sort()).toEqual([
        'README.md',
        'dist',
        'package.json',
      ]);
    });

    it('works from CommonJS require', async () => {
      const script = `const sdk = require('@inbox/sdk'); const web = require('@inbox/sdk/web'); ${checks('sdk', 'web')}`;
      const { stdout } = await run(process.execPath, ['-e', script], { cwd: project });
      expect(stdout.trim()).toBe('ok evt_1234567891 evt_1234567891 function');
    });

    it('works from ESM import', async () => {
      writeFileSync(
        join(project, 'check.mjs'),
        `import * as sdk from '@inbox/sdk'; import * as web from '@inbox/sdk/web'; ${checks('sdk', 'web')}`,
      );
      const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: project });
      expect(stdout.trim()).toBe('ok evt_1234567891 evt_1234567891 function');
    });

    it('explains a missing optional peer (express) only when its helper is imported', async () => {
      const error = await run(process.execPath, ['-e', "require('@inbox/sdk/express')"], { cwd: project }).catch(
        (e: { stderr: string }) => e,
      );
      expect((error as { stderr: string }).stderr).toMatch(/Cannot find module 'express'/);
    });

    it('type-checks a consumer under NodeNext: narrowing on type gives each event its own data', async () => {
      writeFileSync(
        join(project, 'consumer.mts'),
        `import { constructEvent, createHandler, Inbox, type WebhookEvent } from '@inbox/sdk';
         import { constructEventAsync } from '@inbox/sdk/web';
         declare const headers: Record<string, string>;
         const event: WebhookEvent = constructEvent('{}', headers, 'whsec_x');
         if (event.type === 'message.read') { const at: string = event.data.read_at; void at; }
         // @ts-expect-error read_at is only on message.read
         void event.data.read_at;
         createHandler({ 'message.failed': (e) => { const c: string = e.data.error_code; void c; } });
         const inbox = new Inbox('inbox_sk_x');
         export async function f() {
           for await (const wh of inbox.webhooks.list()) { const events: Array<'message.read' | 'message.delivered' | 'message.failed' | 'message.action'> = wh.events; void events; }
           return constructEventAsync('{}', new Headers(), 'whsec_x');
         }`,
      );
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2022',
            lib: ['es2023', 'dom'],
            strict: true,
            noEmit: true,
            types: [],
          },
          files: ['consumer.mts'],
        }),
      );
      await expect(run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project })).resolves.toBeDefined();
    }, 60_000);
  });
});
