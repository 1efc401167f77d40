import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// The README quotes the examples verbatim, and the examples are compiled (typecheck) and run
// (express/nestjs/web specs): so every snippet a user copies is one that works.

const root = new URL('..', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const examples = readdirSync(new URL('examples/', root)).filter((f) => f.endsWith('.ts'));

/** Every TypeScript block of the README, with the example file it quotes, if any. */
const blocks = [...readme.matchAll(/(<!-- example: ([\w.-]+) -->\n)?```(?:ts|typescript)\n([\s\S]*?)\n```/g)].map((m) => ({
  example: m[2],
  code: m[3]!,
  line: readme.slice(0, m.index).split('\n').length + 1,
}));

/** What the short snippets take for granted: their request, a handler of yours, the client's options. */
const SNIPPET_GLOBALS = `
declare const rawBody: Buffer;
declare const req: { body: Buffer; headers: import('node:http').IncomingHttpHeaders };
declare function notifyOnCall(event: import('@inbox/sdk').MessageFailedEvent): Promise<void>;
declare const baseUrl: string;
declare const timeoutMs: number;
declare const maxRetries: number;
`;

/**
 * Type-checks the snippets that are not example files, as the package's own code is (its tsconfig,
 * "@inbox/sdk" being the source), each with the SDK's exports it uses but does not import in scope.
 */
function snippetDiagnostics(snippets: typeof blocks, exported: string[]): string[] {
  const dir = fileURLToPath(new URL('readme-snippets/', root));
  const files = new Map<string, string>([[`${dir}globals.d.ts`, SNIPPET_GLOBALS]]);
  for (const { code, line } of snippets) {
    const imported = new Set([...code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim().split(/\s+/).pop())));
    const used = exported.filter((name) => !imported.has(name) && new RegExp(`\\b${name}\\b`).test(code));
    files.set(`${dir}line-${line}.ts`, `${used.length > 0 ? `import { ${used.join(', ')} } from '@inbox/sdk';\n` : ''}${code}\nexport {};\n`);
  }
  const config = ts.getParsedCommandLineOfConfigFile(fileURLToPath(new URL('tsconfig.json', root)), { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  })!;
  const host = ts.createCompilerHost(config.options);
  const { fileExists, readFile } = host;
  host.fileExists = (file) => files.has(file) || fileExists(file);
  host.readFile = (file) => files.get(file) ?? readFile(file);
  const program = ts.createProgram([...files.keys()], config.options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.has(d.file.fileName))
    .map((d) => `README.md snippet at line ${d.file!.fileName.replace(/.*line-(\d+)\.ts$/, '$1')}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe('README', () => {
  it('quotes every example file, and nothing else as one', () => {
    expect(blocks.flatMap((b) => (b.example ? [b.example] : [])).sort()).toEqual([...examples].sort());
  });

  it('compiles every TypeScript snippet that is not an example file (those are compiled and run on their own)', async () => {
    const snippets = blocks.filter((b) => !b.example);
    expect(snippets.length).toBeGreaterThan(0);
    const sdk = await import('../src/index.js');
    expect(snippetDiagnostics(snippets, Object.keys(sdk))).toEqual([]);
  }, 60_000);

  it.each(examples)('quotes examples/%s exactly as it is', (file) => {
    const marker = `<!-- example: ${file} -->\n\`\`\`ts\n// examples/${file}\n`;
    const start = readme.indexOf(marker);
    expect(start).toBeGreaterThanOrEqual(0);
    const quoted = readme.slice(start + marker.length, readme.indexOf('\n```', start + marker.length));
    expect(quoted).toBe(readFileSync(new URL(`examples/${file}`, root), 'utf8').trimEnd());
  });

  it('documents every WebhookVerificationError code and every API error class', async () => {
    const sdk = await import('../src/index.js');
    for (const code of sdk.WEBHOOK_VERIFICATION_ERROR_CODES) expect(readme).toContain(`| \`${code}\` |`);
    for (const name of [
      'AuthenticationError',
      'NotFoundError',
      'ValidationError',
      'ConflictError',
      'RateLimitError',
      'ServerError',
      'InboxApiError',
    ]) {
      expect(readme).toContain(`| \`${name}\` |`);
      expect(sdk).toHaveProperty(name);
    }
  });
});
