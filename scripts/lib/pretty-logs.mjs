// dev.sh pipes each process's output through this: pino's JSON lines become pino-pretty's readable
// ones, every line gets the process's name in its own colour, and anything that is not JSON (a stack
// trace, node --watch's "Restarting…", tsc's messages) passes through with the same prefix.
// Colour only when our stdout is a terminal (and NO_COLOR is unset).
//   node scripts/lib/pretty-logs.mjs <name> <colour: cyan|magenta|yellow|green|blue>
import { createInterface } from 'node:readline';
import { prettyFactory } from 'pino-pretty';

const [name = 'app', colour = 'cyan'] = process.argv.slice(2);
const colourize = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const codes = { cyan: 36, magenta: 35, yellow: 33, green: 32, blue: 34 };
const prefix = colourize ? `\x1b[${codes[colour] ?? 36}m${name.padEnd(10)}│\x1b[0m ` : `${name.padEnd(10)}│ `;

const pretty = prettyFactory({
  colorize: colourize,
  translateTime: 'SYS:HH:MM:ss.l',
  // The request line keeps what a person reads (method, url, status, time); the rest stays in the JSON.
  ignore: 'pid,hostname,name,req,res,responseTime,context',
  messageFormat: (log, messageKey) => {
    const context = typeof log.context === 'string' ? `[${log.context}] ` : '';
    const message = log[messageKey] ?? '';
    const { req, res } = log;
    if (req && res) return `${context}${message}: ${req.method} ${req.url} → ${res.statusCode} (${log.responseTime} ms)`;
    return `${context}${message}`;
  },
});

function format(line) {
  if (line.startsWith('{')) {
    try {
      return pretty(JSON.parse(line)).replace(/\n$/, '');
    } catch {
      // not pino's JSON after all: print it as it is
    }
  }
  return line;
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  process.stdout.write(
    format(line)
      .split('\n')
      .map((l) => prefix + l)
      .join('\n') + '\n',
  );
});
// Ctrl-C reaches the whole process group: stay until the app's last lines have been printed.
process.on('SIGINT', () => {});
process.stdout.on('error', () => process.exit(0));
