'use strict';
// Where an e2e suite's platform leaves its processes' last output lines (test/e2e/support/platform.ts
// writes them on shutdown), and the reading of them `npm test` prints for a suite that failed. Each
// `npm test` run has its own folder (E2E_RUN_ENV names it), so runs side by side never mix their logs.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const config = require('./config');

const E2E_LOG_DIR = path.join(os.tmpdir(), 'prescriptchain-e2e-logs');
const E2E_RUN_ENV = 'PRESCRIPTCHAIN_TEST_RUN';

const runDir = (run = process.env[E2E_RUN_ENV] || 'adhoc') => path.join(E2E_LOG_DIR, run.replace(/[^A-Za-z0-9._-]+/g, '_'));

/** The log file of the suite at `testPath` (absolute or relative to the repository) in this run. */
function e2eLogFile(testPath, run) {
  const rel = path.relative(config.ROOT, path.resolve(config.ROOT, testPath));
  return path.join(runDir(run), `${rel.replace(/[^A-Za-z0-9._-]+/g, '_')}.log`);
}

/** The last `lines` lines of each process in the suite's log file, or null when there is none. */
function e2eLogTail(testPath, run, lines = 40) {
  let text;
  try {
    text = fs.readFileSync(e2eLogFile(testPath, run), 'utf8');
  } catch {
    return null;
  }
  return text
    .split(/^(?=--- )/m)
    .map((section) => {
      const [head, ...body] = section.trimEnd().split('\n');
      return [head, ...body.slice(-lines)].join('\n');
    })
    .join('\n');
}

/** Removes a run's log folder. */
function removeE2eLogs(run) {
  fs.rmSync(runDir(run), { recursive: true, force: true });
}

module.exports = { E2E_LOG_DIR, E2E_RUN_ENV, e2eLogFile, e2eLogTail, removeE2eLogs };
