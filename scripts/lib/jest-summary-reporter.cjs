// Writes each package's jest totals to <repo>/.test-results/<package>.json for summarize-tests.mjs.
const { mkdirSync, writeFileSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const outDir = resolve(__dirname, '../../.test-results');
    const name = JSON.parse(readFileSync(join(this.rootDir, 'package.json'), 'utf8')).name.replace(/[@/]/g, '_');
    mkdirSync(outDir, { recursive: true });
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests, numFailedTestSuites, numTotalTestSuites } = results;
    writeFileSync(
      join(outDir, `${name}.json`),
      JSON.stringify({ numPassedTests, numFailedTests, numPendingTests, numTodoTests, numFailedTestSuites, numTotalTestSuites }),
    );
  }
}

module.exports = SummaryReporter;
