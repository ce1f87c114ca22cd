'use strict';
// Runs one process alone (`npx nx serve <name>` / `node tools/serve.js <name>`): set-up (its own
// database only), build (the libraries and it, through Nx), then the process under the same
// supervision as `npm start` — output prefixed, restarted if it dies, stopped gracefully by Ctrl-C.
// `--built`: the build already ran (the serve target's `dependsOn: build`), so it is not run twice.
const config = require('./lib/config');
const { Supervisor, stopOnSignals, entryPoint, nodeArgs, childEnv } = require('./lib/supervisor');
const { setup } = require('./setup');
const { build } = require('./build');

async function main(name, { built = false } = {}) {
  const names = config.PROCESSES.map((p) => p.name);
  if (!names.includes(name)) throw new Error(`usage: node tools/serve.js <${names.join('|')}>`);
  const p = config.project(name);
  await setup({ services: config.SERVICES.includes(name) ? [name] : [] });
  if (!built) await build({ projects: [name] });
  const main = entryPoint(p);
  if (main instanceof Error) throw main;
  const supervisor = new Supervisor({
    // A process that refuses its configuration is not restarted: say so and stop with its code.
    onRefused: () => process.exit(config.CONFIG_REFUSED_EXIT_CODE),
  });
  stopOnSignals(supervisor);
  supervisor.run(name, nodeArgs(main), { env: childEnv(name) });
  supervisor.log(`${name} started — Ctrl-C stops it`);
}

const args = process.argv.slice(2);
main(
  args.find((a) => !a.startsWith('--')),
  { built: args.includes('--built') },
).catch((e) => {
  console.error(`serve failed: ${e.message}`);
  process.exit(1);
});
