'use strict';
// Writes gateway/docs/api.md from the built route table (`nx run gateway:api-docs` builds first).
// gateway/src/routes/api-reference.spec.ts fails when the committed file differs from what this writes.
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'gateway', 'dist', 'routes');
const { renderApiReference } = require(path.join(dist, 'api-reference.js'));
const { ROUTE_AREAS } = require(path.join(dist, 'route-table.js'));
const out = path.join(__dirname, '..', 'gateway', 'docs', 'api.md');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, renderApiReference(ROUTE_AREAS));
console.log(`wrote ${path.relative(process.cwd(), out)}`);
