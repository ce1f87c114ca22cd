'use strict';
// The portal's API types come from the OpenAPI document the gateway serves, generated at build time
// (never committed): `buildOpenApiDocument(ROUTE_LIST)` from the BUILT gateway (gateway/dist) — the
// very function /docs/openapi.json answers with — then openapi-typescript turns it into
// src/generated/api.d.ts. A contract change that breaks the portal therefore fails its typecheck.
//
//   node scripts/generate-api.js            from gateway/dist
//   node scripts/generate-api.js <file>     from a saved document
//   node scripts/generate-api.js --print <file>   only print the types for that document (the test
//                                                 compares those of the served one with the build's)
const fs = require('node:fs');
const path = require('node:path');

const OUT_DIR = path.join(__dirname, '..', 'src', 'generated');

/** The document as the gateway builds it (requires `gateway/dist`: build the gateway first). */
function gatewayDocument() {
  const dist = path.join(__dirname, '..', '..', 'dist');
  const { buildOpenApiDocument } = require(path.join(dist, 'routes', 'openapi.document.js'));
  const { ROUTE_LIST } = require(path.join(dist, 'routes', 'route-table.js'));
  return buildOpenApiDocument(ROUTE_LIST);
}

/** openapi-typescript's output for a document, as text. */
async function typesOf(document) {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(JSON.parse(JSON.stringify(document)), {
    alphabetize: true,
    exportType: true,
  });
  return `// Generated from the gateway's OpenAPI document by scripts/generate-api.js. Do not edit.\n${astToString(ast)}`;
}

async function generate(document = gatewayDocument(), outDir = OUT_DIR) {
  fs.mkdirSync(outDir, { recursive: true });
  const types = await typesOf(document);
  fs.writeFileSync(path.join(outDir, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, 'api.d.ts'), types);
  return types;
}

if (require.main === module && process.argv[2] === '--print') {
  const document = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
  typesOf(document).then(
    (types) => process.stdout.write(types),
    (e) => {
      console.error(e.stack ?? e);
      process.exit(1);
    },
  );
} else if (require.main === module) {
  const file = process.argv[2];
  generate(file ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined).then(
    () => console.log(`portal: API types generated in ${path.relative(process.cwd(), OUT_DIR)}`),
    (e) => {
      console.error(`portal: generating the API types failed: ${e.stack ?? e}`);
      process.exit(1);
    },
  );
}

module.exports = { generate, typesOf, gatewayDocument, OUT_DIR };
