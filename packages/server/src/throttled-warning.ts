/** How often a warning that repeats during an outage is written at most. */
export const WARNING_EVERY_MS = 10_000;

/**
 * A warning that may fire on every request or reconnect while something is down, written at most
 * once per `everyMs`, with how many times it fired in between: an outage is a few log lines, not a
 * flood that buries everything else.
 */
export class ThrottledWarning {
  private lastWrittenAt = -Infinity;
  private unwritten = 0;

  constructor(
    private readonly write: (message: string) => void,
    private readonly everyMs = WARNING_EVERY_MS,
  ) {}

  warn(message: string, now = Date.now()): void {
    if (now - this.lastWrittenAt < this.everyMs) {
      this.unwritten++;
      return;
    }
    const since = this.unwritten > 0 ? ` (${this.unwritten} more since the last such warning)` : '';
    this.lastWrittenAt = now;
    this.unwritten = 0;
    this.write(message + since);
  }
}
