'use strict';
// `npm test [-- <jest args>]`: set-up → build through Nx (end-to-end tests spawn the built
// processes) → jest on 2 workers. `node tools/test.js --project <name>` is a project's Nx test target. The LAST line printed is always `N passed, N failed` (jest's totals), because CI
// reads only that line and the exit code; a run in which no test ran fails.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, PROJECTS, SERVICES, project } = require('./lib/config');
const { setup } = require('./setup');
const { build } = require('./build');
const { E2E_RUN_ENV, e2eLogTail, removeE2eLogs } = require('./lib/e2e-logs');

// Bound the whole jest run so that a hang (an open handle, a stuck e2e test) cannot stall CI forever.
const JEST_TIMEOUT_MS = Number(process.env.TEST_TIMEOUT_MS || 25 * 60_000);

function runJest(args, outputFile, env = {}) {
  return new Promise((resolve) => {
    const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
    const child = spawn(
      process.execPath,
      [jest, '--maxWorkers=2', '--json', `--outputFile=${outputFile}`, ...args],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: 'inherit',
      },
    );
    const timer = setTimeout(() => {
      console.error(`test: jest still running after ${JEST_TIMEOUT_MS / 60_000} min — killing it`);
      child.kill('SIGKILL');
    }, JEST_TIMEOUT_MS);
    const forward = (s) => child.kill(s);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve({ code, signal });
    });
  });
}

/** For each suite that failed and ran a platform: the end of what its processes printed. */
function printPlatformLogsOfFailures(totals, run) {
  for (const suite of totals?.testResults ?? []) {
    if (suite.status !== 'failed') continue;
    const tail = e2eLogTail(suite.name, run);
    if (tail) console.error(`test: the platform's processes during ${path.relative(ROOT, suite.name)} (last lines):\n${tail}`);
  }
}

function readTotals(outputFile) {
  try {
    return JSON.parse(fs.readFileSync(outputFile, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * `--project <name>` (each project's Nx `test` target): that project's own tests only — jest over its
 * folder, without the folders of projects nested in it (gateway/portal in gateway) — after the
 * set-up it needs (its own database when it is a service), and no build: its tests run on sources.
 * Returns the jest arguments and what to set up and build.
 */
function plan(args) {
  const i = args.indexOf('--project');
  if (i < 0) return { jestArgs: args, setupOptions: {}, buildFirst: true };
  const name = args[i + 1];
  const p = project(name);
  const nested = PROJECTS.filter((o) => o.dir.startsWith(`${p.dir}/`));
  const rest = [...args.slice(0, i), ...args.slice(i + 2)];
  return {
    jestArgs: [
      `--roots=<rootDir>/${p.dir}`,
      ...(nested.length
        ? ['/node_modules/', '/dist/', ...nested.map((o) => `<rootDir>/${o.dir}/`)].map(
            (pattern) => `--testPathIgnorePatterns=${pattern}`,
          )
        : []),
      // A project without tests of its own (yet) is not a failure of its target.
      '--passWithNoTests',
      ...rest,
    ],
    setupOptions: { services: SERVICES.includes(p.name) ? [p.name] : [] },
    buildFirst: false,
    allowNoTests: true,
  };
}

async function main(args) {
  let totals = null;
  let ok = false;
  try {
    const { jestArgs, setupOptions, buildFirst, allowNoTests = false } = plan(args);
    args = jestArgs;
    await setup(setupOptions);
    if (buildFirst) await build();
    const outputFile = path.join(os.tmpdir(), `prescriptchain-jest-${process.pid}-${Date.now()}.json`);
    const run = `${process.pid}-${Date.now()}`;
    const { code, signal } = await runJest(args, outputFile, { [E2E_RUN_ENV]: run });
    totals = readTotals(outputFile);
    fs.rmSync(outputFile, { force: true });
    printPlatformLogsOfFailures(totals, run);
    removeE2eLogs(run);
    if (!totals) {
      console.error(`test: jest wrote no results (${signal ? `signal ${signal}` : `exit ${code}`})`);
    } else {
      const broken = totals.numRuntimeErrorTestSuites ?? 0;
      if (broken) console.error(`test: ${broken} test suite(s) failed to run`);
      if (totals.numTotalTests === 0 && !allowNoTests) console.error('test: no test ran');
      ok =
        code === 0 &&
        totals.success &&
        totals.numFailedTests === 0 &&
        (totals.numTotalTests > 0 || allowNoTests) &&
        broken === 0;
      if (!ok && code === 0) console.error('test: counted as failed (see above)');
    }
  } catch (e) {
    console.error(`test: ${e.message}`);
  }
  console.log(`${totals?.numPassedTests ?? 0} passed, ${totals?.numFailedTests ?? 0} failed`);
  process.exitCode = ok ? 0 : 1;
}

main(process.argv.slice(2));
