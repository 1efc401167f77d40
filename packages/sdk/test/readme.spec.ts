import { readdirSync, readFileSync } from 'node:fs';

// The README quotes the examples verbatim, and the examples are compiled (typecheck) and run
// (express/nestjs/web specs): so every snippet a user copies is one that works.

const root = new URL('..', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const examples = readdirSync(new URL('examples/', root)).filter((f) => f.endsWith('.ts'));

describe('README', () => {
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
