'use strict';
// `npm run bench`: set-up and build, then every tools/bench/*.bench.js in turn. Each prints its
// figures next to a baseline measured in the same run, as ratios (absolute numbers vary by machine).
const fs = require('node:fs');
const path = require('node:path');
const { setup } = require('./setup');
const { build } = require('./build');

async function main(filter) {
  await setup({ log: () => {} });
  await build({ log: () => {} });
  const dir = path.join(__dirname, 'bench');
  const benches = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.js') && (!filter || f.includes(filter))).sort();
  for (const file of benches) {
    const name = file.replace(/\.bench\.js$/, '');
    console.log(`\n== ${name}`);
    const result = await require(path.join(dir, file)).run({ log: (line) => console.log(line) });
    // A bench that reports its targets (`met`) and missed one makes `npm run bench` exit 1.
    if (result && result.met === false) process.exitCode = 1;
  }
}

main(process.argv[2]).catch((e) => {
  console.error(`bench: ${e.stack || e.message}`);
  process.exit(1);
});
