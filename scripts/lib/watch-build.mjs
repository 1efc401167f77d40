// `dev.sh --watch`'s builder: keeps the apps' dist/ and their workspace packages' dist/ up to date
// while you edit, so `node --watch-path=…/dist` restarts the apps that changed.
// - Packages built with plain tsc (@inbox/server, @inbox/db, the API, the dispatcher): one TypeScript
//   watch program each, in this one process. Watch programs emit only the files a change affects, so
//   an edit in apps/api/src rewrites a few files of apps/api/dist (and restarts only the API), and an
//   edit in packages/server rewrites packages/server/dist (and restarts both apps). Type errors are
//   printed; the JavaScript is emitted anyway, as `tsc` does.
// - Packages built with tsup (@inbox/events, @inbox/signing): their `build` script is run again,
//   half a second after the last change under src/.
// Once every initial build is done it creates the file named by its argument, so dev.sh starts the
// apps only then (not in the middle of the first emit).
//   node scripts/lib/watch-build.mjs <ready-file>
import { spawn } from 'node:child_process';
import { watch, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const readyFile = process.argv[2];
const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

const TSC_PROJECTS = ['packages/server', 'packages/db', 'apps/api', 'apps/dispatcher'];
const BUILD_SCRIPT_PACKAGES = ['packages/events', 'packages/signing'];

const formatHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => root,
  getNewLine: () => '\n',
};
const print = (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

const pending = new Set(TSC_PROJECTS);
function initialBuildDone(project) {
  if (!pending.delete(project) || pending.size > 0) return;
  print('initial builds done; watching for changes');
  if (readyFile) writeFileSync(readyFile, '');
}

for (const project of TSC_PROJECTS) {
  const configPath = join(root, project, 'tsconfig.build.json');
  const host = ts.createWatchCompilerHost(
    configPath,
    {},
    ts.sys,
    ts.createEmitAndSemanticDiagnosticsBuilderProgram,
    (diagnostic) =>
      print(
        colour
          ? ts.formatDiagnosticsWithColorAndContext([diagnostic], formatHost)
          : ts.formatDiagnostics([diagnostic], formatHost),
      ),
    (diagnostic, _newLine, _options, errorCount) => {
      // 6031/6032: "Starting compilation…" / "File change detected…"; 6193/6194: "Found N errors. Watching…".
      if (diagnostic.code === 6193 || diagnostic.code === 6194) {
        print(`${project}: ${errorCount ? `${errorCount} type error(s), JavaScript emitted anyway` : 'built'}`);
        initialBuildDone(project);
      } else if (diagnostic.code === 6032) {
        print(`${project}: change detected, rebuilding`);
      }
    },
  );
  // Only the files a change affects are written: an unchanged dist/ file keeps its mtime, so
  // `node --watch-path` restarts only the apps whose code changed.
  ts.createWatchProgram(host);
}

for (const pkg of BUILD_SCRIPT_PACKAGES) {
  let timer;
  let running;
  let again = false;
  const build = () => {
    if (running) {
      again = true;
      return;
    }
    print(`${pkg}: change detected, running its build`);
    running = spawn('pnpm', ['-s', 'run', 'build'], { cwd: join(root, pkg), stdio: 'inherit' });
    running.on('exit', (code) => {
      running = undefined;
      print(`${pkg}: ${code === 0 ? 'built' : `build failed (exit ${code})`}`);
      if (again) {
        again = false;
        build();
      }
    });
  };
  watch(join(root, pkg, 'src'), { recursive: true }, (_event, file) => {
    if (file && /\.spec\.ts$/.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(build, 500);
  });
}

print(`watching ${[...TSC_PROJECTS, ...BUILD_SCRIPT_PACKAGES].join(', ')}`);
