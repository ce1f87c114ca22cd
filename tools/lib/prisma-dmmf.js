'use strict';
// Prisma's own schema parser (the prisma-schema wasm shipped inside the `prisma` CLI package), loaded
// directly because @prisma/internals (getDMMF) is not a dependency. The wasm-bindgen glue below is
// the minimum get_dmmf needs; it fails loudly if a Prisma upgrade changes the wasm's interface.
const fs = require('node:fs');
const path = require('node:path');

let wasm;
let lastPanic;

function load() {
  if (wasm) return wasm;
  const file = path.join(
    path.dirname(require.resolve('prisma/package.json')),
    'build',
    'prisma_schema_build_bg.wasm',
  );
  const mod = new WebAssembly.Module(fs.readFileSync(file));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const str = (ptr, len) => decoder.decode(new Uint8Array(wasm.memory.buffer, ptr, len));
  const handlers = [
    ['__wbg_Error_', (p, l) => new Error(str(p, l))],
    [
      '__wbg___wbindgen_throw_',
      (p, l) => {
        throw new Error(str(p, l));
      },
    ],
    [
      '__wbg_set_message_',
      (p, l) => {
        lastPanic = str(p, l);
      },
    ],
    [
      '__wbindgen_init_externref_table',
      () => {
        const t = wasm.__wbindgen_externrefs;
        const at = t.grow(4);
        t.set(0, undefined);
        t.set(at, undefined);
        t.set(at + 1, null);
        t.set(at + 2, true);
        t.set(at + 3, false);
      },
    ],
  ];
  const imports = {};
  for (const imp of WebAssembly.Module.imports(mod)) {
    const h = handlers.find(([prefix]) => imp.name.startsWith(prefix));
    if (!h)
      throw new Error(
        `prisma-dmmf: unknown wasm import ${imp.module}.${imp.name} — update tools/lib/prisma-dmmf.js for this Prisma version`,
      );
    (imports[imp.module] ??= {})[imp.name] = h[1];
  }
  wasm = new WebAssembly.Instance(mod, imports).exports;
  wasm.__wbindgen_start();
  return wasm;
}

function readableError(err) {
  const text = err instanceof Error ? err.message : String(err);
  try {
    return JSON.parse(text).message ?? text;
  } catch {
    return text;
  }
}

/** The DMMF ({ datamodel: { models, enums, ... } }) of a Prisma schema's source text. */
function getDmmf(schemaText) {
  const w = load();
  const bytes = Buffer.from(JSON.stringify({ prismaSchema: schemaText, noColor: true }), 'utf8');
  const ptr = w.__wbindgen_malloc(bytes.length, 1);
  new Uint8Array(w.memory.buffer, ptr, bytes.length).set(bytes);
  let outPtr = 0;
  let outLen = 0;
  try {
    let r;
    try {
      r = w.get_dmmf(ptr, bytes.length);
    } catch (e) {
      // A Rust panic traps the instance; it cannot be reused afterwards.
      wasm = undefined;
      throw new Error(`prisma schema parser panicked: ${lastPanic ?? e.message}`);
    }
    if (r[3]) {
      const err = w.__wbindgen_externrefs.get(r[2]);
      w.__externref_table_dealloc(r[2]);
      throw new Error(`invalid Prisma schema: ${readableError(err)}`);
    }
    [outPtr, outLen] = r;
    return JSON.parse(new TextDecoder().decode(new Uint8Array(w.memory.buffer, outPtr, outLen)));
  } finally {
    if (outLen) w.__wbindgen_free(outPtr, outLen, 1);
  }
}

module.exports = { getDmmf };
