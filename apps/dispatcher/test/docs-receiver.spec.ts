import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The docs' receiver must stay the docs' code: both pasted blocks are compared with the docs page.
const docsPath = fileURLToPath(new URL('../../../../shared/spec/webhooks-docs.txt', import.meta.url));
const receiverPath = fileURLToPath(new URL('./support/docs-receiver.js', import.meta.url));

function pastedBlock(source: string, start: string): string {
  const from = source.indexOf(start);
  const to = source.indexOf('// ---- end verbatim ----', from);
  expect(from).toBeGreaterThan(-1);
  return source
    .slice(from, to)
    .trimEnd()
    .split('\n')
    .map((line) => (line.startsWith('  ') ? line.slice(2) : line))
    .join('\n');
}

(existsSync(docsPath) ? describe : describe.skip)('the docs receiver used by the delivery tests', () => {
  // Read in the tests, not here: a skipped describe still runs its body.
  const docs = () => readFileSync(docsPath, 'utf8');
  const receiver = () => readFileSync(receiverPath, 'utf8');

  it('pastes the Express.js example exactly as the docs print it', () => {
    expect(docs()).toContain(pastedBlock(receiver(), "  app.post('/webhooks/inbox'"));
  });

  it('pastes verifySignature exactly as the docs print it', () => {
    expect(docs()).toContain(pastedBlock(receiver(), '  function verifySignature'));
  });
});
