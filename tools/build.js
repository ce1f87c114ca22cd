'use strict';
// Builds every project to <project>/dist with swc and the root .swcrc (libraries first), then the web
// portal with Vite (its API types generated from the built gateway's OpenAPI document, then tsc, then
// `vite build`, which reports the initial JavaScript size), skipping a project whose sources are
// unchanged since its last build.
//
//   node tools/build.js                 all projects
//   node tools/build.js orders gateway  the shared libraries + these
//   node tools/build.js --force         ignore the cache
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, PROJECTS, project } = require('./lib/config');

const STAMP = '.build-stamp';
const BIN = path.join(ROOT, 'node_modules', '.bin');

/**
 * The swc command of a project, run from the project's directory so that dist/ mirrors src/
 * (dist/main.js, dist/index.js). Run from the repository root, as the project.json targets do,
 * `--strip-leading-paths` strips only the first path segment and nests output in dist/<name>/src/.
 */
function buildCommand(p) {
  if (p.kind === 'web')
    return 'node scripts/generate-api.js && tsc -p tsconfig.json && vite build --logLevel warn';
  const swcrc = path.relative(path.join(ROOT, p.dir), path.join(ROOT, '.swcrc'));
  return `swc src -d dist --strip-leading-paths --config-file ${swcrc} --copy-files`;
}

/**
 * What the portal's build does not read as sources: its own output, and the API types it generates
 * itself (from the gateway, whose build stamp is among its inputs). A service's src/generated (its
 * Prisma client) IS compiled into its dist, so it is scanned like any source.
 */
const WEB_NOT_SOURCES = new Set(['dist', 'node_modules', 'generated']);

/** Newest mtime and file count under a directory (directories too: a deleted file changes its parent's mtime). */
function scan(dir, skip = new Set(), countSelf = true) {
  // A web project's own folder changes whenever its dist/ is recreated: only its contents count
  // (a deleted top-level file still changes the file count).
  let newest = countSelf ? fs.statSync(dir).mtimeMs : 0;
  let files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (skip.has(entry.name)) continue;
      const s = scan(p, skip);
      newest = Math.max(newest, s.newest);
      files += s.files;
    } else {
      newest = Math.max(newest, fs.statSync(p).mtimeMs);
      files += 1;
    }
  }
  return { newest, files };
}

function fingerprint(command, src, extra = '') {
  return crypto
    .createHash('sha256')
    .update(command)
    .update(String(src.newest))
    .update(String(src.files))
    .update(fs.readFileSync(path.join(ROOT, '.swcrc')))
    .update(extra)
    .digest('hex');
}

/**
 * What else a project's build reads: for the portal, the gateway it was generated from (its build
 * stamp changes with every route change) and the lockfile (Vite, React and the rest).
 */
function inputsBeyondSources(p) {
  if (p.kind !== 'web') return '';
  const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f) : '');
  return crypto
    .createHash('sha256')
    .update(read(path.join(ROOT, 'gateway', 'dist', STAMP)))
    .update(read(path.join(ROOT, 'package-lock.json')))
    .digest('hex');
}

function sh(command, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd,
      env: { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`\`${command}\` failed (${signal ?? `exit ${code}`})\n${output.trim()}`));
    });
  });
}

/** Builds one project; returns a one-line status. */
async function buildProject(p, { force = false } = {}) {
  const srcDir = path.join(ROOT, p.dir, 'src');
  const distDir = path.join(ROOT, p.dir, 'dist');
  if (!fs.existsSync(srcDir)) return `${p.name}: no src/, skipped`;
  // A web project's sources are its whole folder (index.html, vite config, scripts), not only src/.
  const src = p.kind === 'web' ? scan(path.join(ROOT, p.dir), WEB_NOT_SOURCES, false) : scan(srcDir);
  if (src.files === 0) return `${p.name}: no sources yet, skipped`;
  const command = buildCommand(p);
  const hash = fingerprint(command, src, inputsBeyondSources(p));
  const stamp = path.join(distDir, STAMP);
  if (!force && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash)
    return `${p.name}: up to date`;
  const started = Date.now();
  // A clean dist: outputs of deleted sources must not linger and be loaded.
  fs.rmSync(distDir, { recursive: true, force: true });
  const output = await sh(command, path.join(ROOT, p.dir));
  fs.mkdirSync(distDir, { recursive: true });
  fs.writeFileSync(stamp, hash);
  const report = p.kind === 'web' ? output.match(/portal: initial JS [^\n]*/)?.[0] : null;
  return `${p.name}: built in ${((Date.now() - started) / 1000).toFixed(1)} s${report ? ` (${report.replace('portal: ', '')})` : ''}`;
}

/**
 * Builds the shared libraries and the named projects (all when none are named), two at a time.
 * @param {{ projects?: string[], force?: boolean, log?: (line: string) => void }} [options]
 */
async function build(options = {}) {
  const log = (l) => (options.log ?? console.log)(`build: ${l}`);
  const named = (options.projects ?? []).map((n) => project(n).name);
  // The portal needs the gateway it reads its API types from.
  if (named.some((n) => project(n).kind === 'web')) named.push('gateway');
  const wanted = named.length
    ? PROJECTS.filter((p) => p.kind === 'lib' || named.includes(p.name))
    : [...PROJECTS];
  const failures = [];
  const run = async (projects) => {
    const queue = [...projects];
    const worker = async () => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        try {
          log(await buildProject(p, options));
        } catch (e) {
          failures.push(`${p.name}: ${e.message}`);
          log(`${p.name}: FAILED`);
        }
      }
    };
    await Promise.all([worker(), worker()]);
  };
  await run(wanted.filter((p) => p.kind !== 'web'));
  // The portal's API types come from the built gateway: only once it has built.
  const web = wanted.filter((p) => p.kind === 'web');
  if (web.length && failures.length) web.forEach((p) => log(`${p.name}: skipped (a project it needs failed)`));
  else await run(web);
  if (failures.length) throw new Error(`build failed:\n${failures.join('\n')}`);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  build({ projects: args.filter((a) => a !== '--force'), force }).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}

module.exports = { build, buildProject };
