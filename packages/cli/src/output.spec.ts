import { PassThrough } from 'node:stream';
import { CliError } from './errors.js';
import { Output } from './output.js';

function capture(tty: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY: tty });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('Output', () => {
  it.each([
    [true, true, {}, true],
    [false, true, {}, false],
    [true, false, {}, false],
    [true, true, { NO_COLOR: '1' }, false],
    [true, true, { TERM: 'dumb' }, false],
  ])('colour: tty=%s, --color=%s, env %j → %s', (tty, color, env, on) => {
    const out = capture(tty);
    const output = new Output({ json: false, color, stdout: out.stream, stderr: capture(false).stream, env });
    output.line(output.colors.red('x'));
    expect(out.text().includes('\u001b[')).toBe(on);
  });

  it('pads tables to the widest cell and paints after padding', () => {
    const out = capture(true);
    const output = new Output({ json: false, color: true, stdout: out.stream, env: {} });
    output.table([{ a: 'x', b: 'long' }, { a: 'wide one', b: 'y' }], [
      { header: 'A', cell: (r) => r.a, paint: (_r, t) => output.colors.green(t) },
      { header: 'B', cell: (r) => r.b },
    ]);
    // eslint-disable-next-line no-control-regex
    const plain = out.text().replace(/\u001b\[\d+m/g, '');
    expect(plain).toBe('A         B\nx         long\nwide one  y\n');
  });

  it('--json: data as JSON on stdout, nothing for people; errors as JSON on stderr', () => {
    const out = capture(false);
    const err = capture(false);
    const output = new Output({ json: true, color: true, stdout: out.stream, stderr: err.stream, env: {} });
    output.line('hello');
    output.table([{ a: 1 }], [{ header: 'A', cell: (r) => String(r.a) }]);
    output.result([{ a: 1 }], () => output.line('people'));
    output.error(new CliError('Bad', 3, 'Do this', 'auth', 'req_9'));
    expect(out.text()).toBe('[{"a":1}]\n');
    expect(JSON.parse(err.text())).toEqual({ error: { code: 'auth', message: 'Bad', hint: 'Do this', request_id: 'req_9', exit_code: 3 } });
  });

  it('errors for people: the message, then what to do', () => {
    const err = capture(false);
    new Output({ json: false, color: true, stdout: capture(false).stream, stderr: err.stream, env: {} }).error(new CliError('Bad', 3, 'Do this'));
    expect(err.text()).toBe('Error: Bad\nDo this\n');
  });
});
