'use strict';
// After `npm ci`/`npm install`: generate each service's Prisma client (src/generated/prisma, not
// committed). Offline — PRISMA_SCHEMA_ENGINE_BINARY=/bin/true stops the CLI fetching the schema
// engine, which `generate` does not need — and skipped when the schema has not changed since the last run.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, SERVICES } = require('./lib/config');

const PRISMA_CLI = (() => {
  try {
    return path.join(
      path.dirname(require.resolve('prisma/package.json', { paths: [ROOT] })),
      'build',
      'index.js',
    );
  } catch {
    return null;
  }
})();

const STAMP = '.schema-hash';

function fingerprint(dir) {
  const h = crypto.createHash('sha256');
  h.update(require(path.join(path.dirname(PRISMA_CLI), '..', 'package.json')).version);
  for (const f of ['prisma/schema.prisma', 'prisma.config.ts']) {
    const p = path.join(dir, f);
    h.update(f).update(fs.existsSync(p) ? fs.readFileSync(p) : '');
  }
  return h.digest('hex');
}

function generate(service) {
  const dir = path.join(ROOT, 'services', service);
  if (!fs.existsSync(path.join(dir, 'prisma', 'schema.prisma')))
    return Promise.resolve(`${service}: no prisma/schema.prisma, skipped`);
  const out = path.join(dir, 'src', 'generated', 'prisma');
  const hash = fingerprint(dir);
  const stamp = path.join(out, STAMP);
  if (
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, 'utf8') === hash &&
    fs.existsSync(path.join(out, 'client.ts'))
  ) {
    return Promise.resolve(`${service}: client up to date`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PRISMA_CLI, 'generate'], {
      cwd: dir,
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0)
        return reject(
          new Error(`${service}: prisma generate failed (${signal ?? `exit ${code}`})\n${output.trim()}`),
        );
      fs.writeFileSync(stamp, hash);
      resolve(`${service}: generated Prisma client`);
    });
  });
}

async function main() {
  if (!PRISMA_CLI) {
    // `npm ci --omit=dev` (production images) has no CLI; their build stage generated the client.
    console.log('postinstall: prisma CLI not installed, skipping client generation');
    return;
  }
  const queue = [...SERVICES];
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) console.log(`postinstall: ${await generate(s)}`);
  };
  await Promise.all([worker(), worker()]);
}

main().catch((e) => {
  console.error(`postinstall failed: ${e.message}`);
  process.exit(1);
});
