import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FIXTURE } from './support/fixtures.js';

// The package as published: built by the test script (tsup), packed with `pnpm pack` together with
// its dependency @inbox/signing (built by turbo's ^build), installed with npm into an empty project,
// then used from CommonJS, ESM and TypeScript. zod comes from the registry.

const execFileAsync = promisify(execFile);
// Children run as a user's would: no jest flags, no NODE_PATH from the runner (which would find the
// workspace's packages and hide a missing dependency).
const { NODE_OPTIONS: _options, NODE_PATH: _path, ...cleanEnv } = process.env;
const run = (file: string, args: string[], options: { cwd: string; timeout?: number }) =>
  execFileAsync(file, args, { ...options, env: cleanEnv });
const packageDir = new URL('..', import.meta.url).pathname;
const dist = join(packageDir, 'dist');
const signingDir = new URL('../../signing', import.meta.url).pathname;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// The signed fixture, and a check that both verifiers accept it and type it, and that the SDK and
// @inbox/signing (both entries of each) share one WebhookVerificationError, as a script body.
const fixture = JSON.stringify({
  body: FIXTURE.body,
  headers: FIXTURE.headers,
  secret: FIXTURE.secret,
  nowMs: FIXTURE.nowMs,
});
const checks = (sdk: string, web: string, signing: string, signingWeb: string) => `
  const f = ${fixture};
  const now = () => f.nowMs;
  const event = ${sdk}.constructEvent(f.body, f.headers, f.secret, { now });
  if (event.type !== 'message.read' || event.data.read_at !== '2025-01-15T10:25:15Z') throw new Error('wrong event');
  if (!${sdk}.verifySignature(f.body, f.headers['x-inbox-signature'], f.secret)) throw new Error('verifySignature');
  const thrown = (verify) => { try { verify(); } catch (e) { return e; } throw new Error('tampered body accepted'); };
  const bySdk = thrown(() => ${sdk}.constructEvent(f.body + ' ', f.headers, f.secret, { now }));
  const bySigning = thrown(() => ${signing}.verifyStandardWebhook(f.body + ' ', f.headers, f.secret, { now }));
  for (const e of [bySdk, bySigning]) {
    if (e.code !== 'invalid_signature') throw new Error('wrong code: ' + e.code);
    for (const Class of [${sdk}, ${web}, ${signing}, ${signingWeb}].map((m) => m.WebhookVerificationError)) {
      if (!(e instanceof Class)) throw new Error('two error classes');
    }
  }
  ${web}.constructEventAsync(f.body, new Headers(f.headers), f.secret, { now })
    .then((e) => console.log('ok', event.id, e.id, typeof ${sdk}.Inbox));
`;

/**
 * Writes a `--require` hook that refuses every Node built-in (node:crypto, crypto, http, …) imported
 * or required from inside `dists`, and returns its path.
 */
function writeNoBuiltinsHook(dir: string, dists: string[]): string {
  const file = join(dir, 'no-builtins.cjs');
  writeFileSync(
    file,
    `const Module = require('node:module');
     const dists = ${JSON.stringify(dists)};
     const load = Module._load;
     Module._load = function (request, parent, ...rest) {
       if (dists.some((d) => parent?.filename?.startsWith(d)) && Module.isBuiltin(request)) throw new Error('required a Node built-in: ' + request);
       return load.call(this, request, parent, ...rest);
     };
     Module.register('data:text/javascript,' + encodeURIComponent(
       'import { isBuiltin } from "node:module";' +
       'const dists = ' + JSON.stringify(dists.map((d) => 'file://' + d)) + ';' +
       'export async function resolve(s, c, next) {' +
       '  if (dists.some((d) => c.parentURL?.startsWith(d)) && isBuiltin(s)) throw new Error("imported a Node built-in: " + s);' +
       '  return next(s, c); }'
     ));`,
  );
  return file;
}

describe('the built package', () => {
  beforeAll(() => {
    if (!existsSync(join(dist, 'index.js')))
      throw new Error('dist/ is missing: the test script builds it (pnpm test), or run pnpm build');
  });

  it('imports no @inbox/* package but its dependency @inbox/signing, in code or types', () => {
    for (const file of readdirSync(dist).filter((f) => /\.(c?js|d\.c?ts)$/.test(f))) {
      const source = readFileSync(join(dist, file), 'utf8');
      for (const [, name] of source.matchAll(/(?:from |require\()['"](@inbox\/[^/'"]+)/g)) {
        expect([file, name]).toEqual([file, '@inbox/signing']);
      }
    }
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies)).toEqual(['@inbox/signing', 'zod']);
  });

  it.each(['web.js', 'web.cjs', 'edge.js', 'edge.cjs'])(
    '%s loads and verifies with no Node built-in module at all (Web Crypto only)',
    async (entry) => {
      // Refuse every built-in (node:crypto, crypto, http, …) while loading the Web entry, from the
      // SDK's build or from @inbox/signing's (its /web entry, which the SDK's loads).
      const dir = mkdtempSync(join(tmpdir(), 'inbox-sdk-web-'));
      try {
        const hook = writeNoBuiltinsHook(dir, [dist, join(signingDir, 'dist')]);
        const load = entry.endsWith('.cjs')
          ? `Promise.resolve(require(${JSON.stringify(join(dist, entry))}))`
          : `import(${JSON.stringify(join(dist, entry))})`;
        const script = `${load}.then((web) => {
        const f = ${fixture};
        return web.constructEventAsync(f.body, new Headers(f.headers), f.secret, { now: () => f.nowMs })
          .then((e) => console.log('ok', e.type)); })`;
        const { stdout } = await run(process.execPath, ['--require', hook, '-e', script], {
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
      for (const dir of [packageDir, signingDir])
        await run('pnpm', ['pack', '--pack-destination', project], { cwd: dir });
      const tarballs = readdirSync(project).filter((f) => f.endsWith('.tgz'));
      if (tarballs.length !== 2) throw new Error(`pnpm pack made ${tarballs.length} tarballs, not 2`);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
      const paths = tarballs.map((t) => `./${t}`);
      await run('npm', ['install', ...paths, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
        cwd: project,
        timeout: 50_000,
      });
    }, 60_000);

    afterAll(() => {
      if (project) rmSync(project, { recursive: true, force: true });
    });

    it('installed only the SDK, @inbox/signing (one copy, the app’s own) and zod (no Nest or Express)', () => {
      const installed = readdirSync(join(project, 'node_modules')).filter((name) => !name.startsWith('.'));
      expect(installed.sort()).toEqual(['@inbox', 'zod']);
      expect(readdirSync(join(project, 'node_modules', '@inbox')).sort()).toEqual(['sdk', 'signing']);
      expect(existsSync(join(project, 'node_modules', '@inbox', 'sdk', 'node_modules'))).toBe(false);
      expect(readdirSync(join(project, 'node_modules', '@inbox', 'sdk')).sort()).toEqual([
        'README.md',
        'dist',
        'package.json',
      ]);
    });

    it('works from CommonJS require', async () => {
      const script = `const sdk = require('@inbox/sdk'); const web = require('@inbox/sdk/web');
        const signing = require('@inbox/signing'); const signingWeb = require('@inbox/signing/web');
        ${checks('sdk', 'web', 'signing', 'signingWeb')}`;
      const { stdout } = await run(process.execPath, ['-e', script], { cwd: project });
      expect(stdout.trim()).toBe('ok evt_1234567891 evt_1234567891 function');
    });

    it('works from ESM import', async () => {
      writeFileSync(
        join(project, 'check.mjs'),
        `import * as sdk from '@inbox/sdk'; import * as web from '@inbox/sdk/web';
         import * as signing from '@inbox/signing'; import * as signingWeb from '@inbox/signing/web';
         ${checks('sdk', 'web', 'signing', 'signingWeb')}`,
      );
      const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: project });
      expect(stdout.trim()).toBe('ok evt_1234567891 evt_1234567891 function');
    });

    // What Cloudflare Workers (workerd, worker), Vercel and Next.js edge (edge-light), Deno and
    // browser bundlers ask for: the package root resolves to the Web Crypto build, loads no Node
    // built-in, verifies and signs test headers; the synchronous verifier says what to use instead.
    it.each([
      ['workerd', 'import'],
      ['workerd', 'require'],
      ['edge-light', 'import'],
      ['edge-light', 'require'],
      ['worker', 'import'],
      ['deno', 'import'],
      ['browser', 'import'],
    ] as const)('under the %s condition, %s of @inbox/sdk loads the Web Crypto build', async (condition, how) => {
      const dists = ['sdk', 'signing'].map((name) => join(project, 'node_modules', '@inbox', name, 'dist'));
      const hook = writeNoBuiltinsHook(project, dists);
      const [load, resolved] =
        how === 'import'
          ? ["await import('@inbox/sdk')", "import.meta.resolve('@inbox/sdk')"]
          : ["require('@inbox/sdk')", "require.resolve('@inbox/sdk')"];
      const script = `const sdk = ${load};
        const f = ${fixture};
        const headers = await sdk.generateTestHeaders({ payload: f.body, secret: f.secret, timestamp: f.nowMs / 1000 });
        const event = await sdk.constructEventAsync(f.body, new Headers(headers), f.secret, { now: () => f.nowMs });
        let sync = 'returned';
        try { sdk.constructEvent(f.body, headers, f.secret); } catch (e) { sync = e.message.split(',')[0]; }
        console.log(${resolved}.split('/').pop(), event.type, headers['webhook-signature'] === f.headers['webhook-signature'], sync);`;
      const [inputType, code] = how === 'import' ? ['module', script] : ['commonjs', `(async () => { ${script} })()`];
      const args = [`--conditions=${condition}`, '--require', hook, `--input-type=${inputType}`, '-e', code];
      const { stdout } = await run(process.execPath, args, { cwd: project });
      expect(stdout.trim()).toBe(`edge.${how === 'import' ? 'js' : 'cjs'} message.read true constructEvent needs node:crypto`);
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
        `import { constructEvent, createHandler, generateTestHeaders, Inbox, WebhookVerificationError, type WebhookEvent } from '@inbox/sdk';
         import { constructEventAsync, generateTestHeaders as generateWithWebCrypto } from '@inbox/sdk/web';
         import { WebhookVerificationError as SigningError } from '@inbox/signing';
         const one: typeof SigningError = WebhookVerificationError;
         export const authentic = (e: unknown) => e instanceof one && e.isAuthentic;
         declare const headers: Record<string, string>;
         const event: WebhookEvent = constructEvent('{}', headers, 'whsec_x');
         if (event.type === 'message.read') { const at: string = event.data.read_at; void at; }
         // @ts-expect-error read_at is only on message.read
         void event.data.read_at;
         createHandler({ 'message.failed': (e) => { const c: string = e.data.error_code; void c; } });
         const inbox = new Inbox('inbox_sk_x');
         export async function f() {
           for await (const wh of inbox.webhooks.list()) { const events: Array<'message.read' | 'message.delivered' | 'message.failed' | 'message.action' | 'webhook.disabled'> = wh.events; void events; }
           const headers = await generateTestHeaders({ payload: { id: 'evt_1', type: 'message.read' }, secret: 'whsec_x', timestamp: new Date() });
           const signature: string = headers['webhook-signature'];
           void (await generateWithWebCrypto({ payload: new Uint8Array(), secret: 'whsec_x', eventType: 'message.read' }))['x-inbox-signature'];
           return constructEventAsync(signature, new Headers(headers), 'whsec_x');
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

    it('type-checks an edge consumer (bundler resolution, the workerd condition) against the Web Crypto build', async () => {
      writeFileSync(
        join(project, 'worker.ts'),
        `import { constructEventAsync, generateTestHeaders, type WebhookEvent } from '@inbox/sdk';
         export default {
           async fetch(request: Request, env: { INBOX_WEBHOOK_SECRET: string }): Promise<Response> {
             const event: WebhookEvent = await constructEventAsync(await request.text(), request.headers, env.INBOX_WEBHOOK_SECRET);
             return new Response(event.type);
           },
         };
         export const signed = generateTestHeaders({ payload: '{}', secret: 'whsec_x', eventType: 'message.read' });`,
      );
      writeFileSync(
        join(project, 'tsconfig.worker.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'esnext',
            moduleResolution: 'bundler',
            customConditions: ['workerd'],
            target: 'es2022',
            lib: ['es2023', 'dom'],
            strict: true,
            noEmit: true,
            types: [],
          },
          files: ['worker.ts'],
        }),
      );
      const { stdout } = await run(process.execPath, [tsc, '-p', 'tsconfig.worker.json', '--listFiles'], { cwd: project });
      expect(stdout).toContain(join('node_modules', '@inbox', 'sdk', 'dist', 'edge.d.ts'));
      expect(stdout).not.toContain(join('node_modules', '@inbox', 'sdk', 'dist', 'index.d.ts'));
    }, 60_000);
  });
});
