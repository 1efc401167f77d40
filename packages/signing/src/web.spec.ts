import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as root from './index.js';
import * as web from './web.js';

/** The source files `entry` loads, following its relative imports. */
function importGraph(entry: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    const source = readFileSync(new URL(file, import.meta.url), 'utf8');
    files.set(file, source);
    for (const [, specifier] of source.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'/g)) {
      if (specifier?.startsWith('./')) visit(specifier.replace(/\.js$/, '.ts'));
    }
  };
  visit(entry);
  return files;
}

describe('@inbox/signing/web', () => {
  const graph = importGraph('./web.ts');

  it('loads no Node built-in and uses no Buffer (it runs in browsers and edge workers)', () => {
    expect([...graph.keys()]).toEqual(expect.arrayContaining(['./web.ts', './standard-webhooks-headers.ts']));
    const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    for (const [file, source] of graph) {
      const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      const specifiers = [...code.matchAll(/from\s+'([^']+)'|import\(\s*'([^']+)'/g)].map((m) => m[1] ?? m[2]);
      expect([file, specifiers.filter((s) => !s?.startsWith('./'))]).toEqual([file, []]);
      expect([file, specifiers.filter((s) => builtins.has(s as string))]).toEqual([file, []]);
      expect([file, /\bBuffer\b|\brequire\(/.test(code)]).toEqual([file, false]);
    }
  });

  it('exports the same constants and error class as the root entry', () => {
    for (const [name, value] of Object.entries(web)) {
      if (name in root) expect([name, (root as Record<string, unknown>)[name]]).toEqual([name, value]);
    }
    expect(web.WebhookVerificationError).toBe(root.WebhookVerificationError);
    expect(web.HEADER_WEBHOOK_SIGNATURE).toBe('webhook-signature');
    expect(web.isValidSecret).toBe(root.isValidSecret);
  });
});
