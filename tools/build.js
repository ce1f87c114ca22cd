'use strict';
// Builds through Nx: each project's `build` target (project.json; swc for the libraries and
// processes, the portal's API types + tsc + Vite for the portal), libraries first (`^build`), and a
// project whose inputs are unchanged restored from Nx's cache instead of rebuilt.
//
//   node tools/build.js                 all projects        (= npx nx run-many -t build)
//   node tools/build.js orders gateway  these + what they depend on
//   node tools/build.js --force         ignore the cache    (--skip-nx-cache)
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, project } = require('./lib/config');

/** The nx CLI's entry point, from its own package.json (its location moves between Nx versions). */
const NX = (() => {
  const manifest = require.resolve('nx/package.json', { paths: [ROOT] });
  return path.join(path.dirname(manifest), require(manifest).bin.nx);
})();

/** The nx command line for a build of these projects (all when none). */
function nxBuildArgs({ projects = [], force = false } = {}) {
  const names = projects.map((n) => project(n).name);
  return [
    ...(names.length ? ['run-many', '-t', 'build', '-p', names.join(',')] : ['run-many', '-t', 'build']),
    // One line per task that succeeded or came from the cache; a failing task prints its output.
    '--outputStyle=static-failures-only',
    ...(force ? ['--skip-nx-cache'] : []),
  ];
}

/**
 * Builds the named projects (all when none) and what they depend on.
 * @param {{ projects?: string[], force?: boolean }} [options]
 */
function build(options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NX, ...nxBuildArgs(options)], {
      cwd: ROOT,
      env: { ...process.env, NX_TUI: 'false', NX_DAEMON: 'false' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`build failed (nx ${signal ?? `exit ${code}`}; its output is above)`)),
    );
  });
}

if (require.main === module) {
  const args = process.argv.slice(2);
  build({ projects: args.filter((a) => a !== '--force'), force: args.includes('--force') }).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}

module.exports = { build, nxBuildArgs };
