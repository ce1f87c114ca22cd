'use strict';
// `npm run bench`: set-up and build, then every tools/bench/*.bench.js in turn. Each prints its
// figures next to a baseline measured in the same run, as ratios (absolute numbers vary by machine).
// The exit code is 1 when a bench says its targets were missed (`met: false`).
const fs = require('node:fs');
const path = require('node:path');
const { setup } = require('./setup');
const { build } = require('./build');

async function main(filter) {
  await setup({ log: () => {} });
  await build({ log: () => {} });
  const dir = path.join(__dirname, 'bench');
  const benches = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.js') && (!filter || f.includes(filter))).sort();
  const missed = [];
  for (const file of benches) {
    const name = file.replace(/\.bench\.js$/, '');
    console.log(`\n== ${name}`);
    const result = await require(path.join(dir, file)).run({ log: (line) => console.log(line) });
    if (result?.met === false) missed.push(name);
  }
  if (missed.length) {
    console.log(`\nbench: targets missed in ${missed.join(', ')}`);
    process.exitCode = 1;
  }
}

main(process.argv[2]).catch((e) => {
  console.error(`bench: ${e.stack || e.message}`);
  process.exit(1);
});
