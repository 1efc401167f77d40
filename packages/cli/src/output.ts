import type { CliError } from './errors.js';

export interface OutputOptions {
  json: boolean;
  /** `--no-color` makes this false; colour is also off when stdout is not a TTY or NO_COLOR is set. */
  color: boolean;
  stdout?: NodeJS.WriteStream | NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream | NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}

type Paint = (text: string) => string;

export interface Colors {
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
}

const sgr = (open: number, close: number): Paint => (text) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain: Paint = (text) => text;

/** Column spec for `table`: a header and how to get the cell from a row. */
export interface Column<T> {
  header: string;
  cell: (row: T) => string;
  /** Colour applied after padding (so escapes never break alignment). */
  paint?: (row: T, text: string) => string;
}

/**
 * The one place the CLI prints: people get tables and sentences on stdout (colour only on a TTY, and
 * never with NO_COLOR or --no-color); scripts get one JSON document per result with `--json`.
 * Errors and progress go to stderr so stdout stays parseable.
 */
export class Output {
  readonly json: boolean;
  readonly colors: Colors;
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    const env = options.env ?? process.env;
    const tty = (this.stdout as NodeJS.WriteStream).isTTY === true;
    const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
    const on = options.color && tty && !noColor && env.TERM !== 'dumb';
    this.colors = on
      ? { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) }
      : { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  }

  /** A line for people (nothing in --json mode). */
  line(text = ''): void {
    if (!this.json) this.stdout.write(`${text}\n`);
  }

  /** A note for people on stderr (progress, hints), printed in --json mode too: stdout stays clean. */
  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  /** Prints `value` as JSON in --json mode, else calls `human`. */
  result(value: unknown, human: () => void): void {
    if (this.json) this.printJson(value);
    else human();
  }

  /** One JSON document on one line (`--follow` prints one per line: JSON Lines). */
  printJson(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** A table with a header row; columns padded to their widest cell. */
  table<T>(rows: readonly T[], columns: readonly Column<T>[], { header = true } = {}): void {
    if (this.json) return;
    const cells = rows.map((row) => columns.map((c) => c.cell(row)));
    const widths = columns.map((c, i) => Math.max(header ? c.header.length : 0, ...cells.map((r) => r[i]!.length)));
    if (header) this.stdout.write(this.formatRow(columns.map((c) => this.colors.bold(c.header)), columns.map((c) => c.header.length), widths));
    rows.forEach((row, r) => {
      const texts = cells[r]!;
      const painted = texts.map((text, i) => columns[i]!.paint?.(row, text) ?? text);
      this.stdout.write(this.formatRow(painted, texts.map((t) => t.length), widths));
    });
  }

  /** Widths of a table's columns for rows printed one at a time (`logs --follow`). */
  row<T>(row: T, columns: readonly Column<T>[], widths: readonly number[]): void {
    if (this.json) return;
    const texts = columns.map((c) => c.cell(row));
    const painted = texts.map((text, i) => columns[i]!.paint?.(row, text) ?? text);
    this.stdout.write(this.formatRow(painted, texts.map((t) => t.length), widths));
  }

  headerRow<T>(columns: readonly Column<T>[], widths: readonly number[]): void {
    if (this.json) return;
    this.stdout.write(this.formatRow(columns.map((c) => this.colors.bold(c.header)), columns.map((c) => c.header.length), widths));
  }

  private formatRow(painted: string[], lengths: number[], widths: readonly number[]): string {
    const last = painted.length - 1;
    return (
      painted
        .map((text, i) => (i === last ? text : text + ' '.repeat(Math.max(0, (widths[i] ?? 0) - lengths[i]!))))
        .join('  ')
        .trimEnd() + '\n'
    );
  }

  /** Reports a failure on stderr: `Error: …` and what to do, or `{"error": {…}}` with --json. */
  error(error: CliError): void {
    if (this.json) {
      const body: Record<string, unknown> = { code: error.code, message: error.message, exit_code: error.exitCode };
      if (error.hint) body.hint = error.hint;
      if (error.requestId) body.request_id = error.requestId;
      this.stderr.write(`${JSON.stringify({ error: body })}\n`);
      return;
    }
    const c = this.colors;
    let text = `${c.red('Error:')} ${error.message}\n`;
    if (error.hint) text += `${error.hint}\n`;
    if (error.requestId) text += c.dim(`(request id ${error.requestId})`) + '\n';
    this.stderr.write(text);
  }
}
