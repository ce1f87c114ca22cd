'use strict';
// Schema drift: compares a migrated database with what schema.prisma declares — tables, columns,
// column types (with precision), nullability and primary keys — so hand-written migrations and the
// Prisma schema cannot silently disagree. The schema is read through Prisma's own parser (DMMF);
// only `Unsupported("…")` fields, which the DMMF leaves out, are read from the schema text.
const fs = require('node:fs');
const { Client } = require('pg');

// Prisma scalar → PostgreSQL type when no @db.* attribute is given (what Prisma Migrate would create).
const DEFAULT_TYPES = {
  String: 'text',
  Boolean: 'boolean',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

// A native type written without arguments takes the server's default; Prisma has used both the
// bare form and an explicit precision over time, so accept either.
const TIME_PRECISIONS = (base, zone) => [`${base} ${zone}`, `${base}(3) ${zone}`, `${base}(6) ${zone}`];

/** Acceptable format_type() spellings of a @db.* native type. */
function nativeTypes([name, args]) {
  const a = args.join(',');
  const withArgs = (pg, fallback) => (args.length ? [`${pg}(${a})`] : fallback);
  switch (name) {
    case 'Text':
      return ['text'];
    case 'VarChar':
      return withArgs('character varying', ['character varying']);
    case 'Char':
      return withArgs('character', ['character(1)', 'character']);
    case 'Uuid':
      return ['uuid'];
    case 'Xml':
      return ['xml'];
    case 'Inet':
      return ['inet'];
    case 'Citext':
      return ['citext'];
    case 'Bit':
      return withArgs('bit', ['bit(1)', 'bit']);
    case 'VarBit':
      return withArgs('bit varying', ['bit varying']);
    case 'Boolean':
      return ['boolean'];
    case 'Integer':
      return ['integer'];
    case 'SmallInt':
      return ['smallint'];
    case 'Oid':
      return ['oid'];
    case 'BigInt':
      return ['bigint'];
    case 'DoublePrecision':
      return ['double precision'];
    case 'Real':
      return ['real'];
    case 'Decimal':
      return withArgs('numeric', ['numeric(65,30)', 'numeric']);
    case 'Money':
      return ['money'];
    case 'Timestamp':
      return args.length
        ? [`timestamp(${a}) without time zone`]
        : TIME_PRECISIONS('timestamp', 'without time zone');
    case 'Timestamptz':
      return args.length
        ? [`timestamp(${a}) with time zone`]
        : TIME_PRECISIONS('timestamp', 'with time zone');
    case 'Date':
      return ['date'];
    case 'Time':
      return args.length ? [`time(${a}) without time zone`] : TIME_PRECISIONS('time', 'without time zone');
    case 'Timetz':
      return args.length ? [`time(${a}) with time zone`] : TIME_PRECISIONS('time', 'with time zone');
    case 'Json':
      return ['json'];
    case 'JsonB':
      return ['jsonb'];
    case 'ByteA':
      return ['bytea'];
    default:
      return [`${name.toLowerCase()}${args.length ? `(${a})` : ''}`];
  }
}

/** Spacing, quoting, case and the public. qualifier do not count as differences. */
const normalizeType = (t) =>
  t
    .replace(/"/g, '')
    .replace(/\bpublic\./g, '')
    .replace(/\s+/g, '')
    .toLowerCase();

/** `Unsupported("…")` fields per model, which the DMMF omits: { Model: [{ name, column, type, optional }] }. */
function unsupportedFields(schemaText) {
  const text = schemaText.replace(/\/\/.*$/gm, '');
  const out = {};
  for (const [, model, body] of text.matchAll(/^\s*model\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm)) {
    for (const line of body.split('\n')) {
      const m = line.match(/^\s*(\w+)\s+Unsupported\(\s*"((?:[^"\\]|\\.)*)"\s*\)(\[\])?(\?)?(.*)$/);
      if (!m) continue;
      const map = m[5].match(/@map\(\s*(?:name\s*:\s*)?"([^"]+)"\s*\)/);
      (out[model] ??= []).push({
        name: m[1],
        column: map ? map[1] : m[1],
        type: m[2] + (m[3] ?? ''),
        optional: Boolean(m[4]),
      });
    }
  }
  return out;
}

/**
 * The DMMF ({ datamodel: { models, enums, … } }) of a Prisma schema's source text, from Prisma's own
 * parser (@prisma/internals, pinned to the `prisma` CLI's version). Loaded on first use: it is large.
 */
async function getDmmf(schemaText) {
  const { getDMMF } = require('@prisma/internals');
  try {
    return await getDMMF({ datamodel: schemaText });
  } catch (e) {
    throw new Error(`invalid Prisma schema: ${e.message}`);
  }
}

/**
 * The tables a Prisma schema declares.
 * @returns {{ name: string, model: string, columns: { name: string, field: string, types: string[], nullable: boolean | null }[], primaryKey: string[] }[]}
 */
async function expectedTables(schemaText) {
  const { datamodel } = await getDmmf(schemaText);
  const enums = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const unsupported = unsupportedFields(schemaText);
  return datamodel.models.map((model) => {
    const columnOf = new Map();
    const columns = [];
    for (const f of model.fields) {
      if (f.kind !== 'scalar' && f.kind !== 'enum') continue;
      const base =
        f.kind === 'enum'
          ? [enums.get(f.type)]
          : f.nativeType
            ? nativeTypes(f.nativeType)
            : [DEFAULT_TYPES[f.type]];
      if (base.some((t) => t === undefined))
        throw new Error(`schema-drift: no PostgreSQL type known for ${model.name}.${f.name} (${f.type})`);
      const column = f.dbName ?? f.name;
      columnOf.set(f.name, column);
      columns.push({
        name: column,
        field: f.name,
        types: base.map((t) => (f.isList ? `${t}[]` : t)),
        // Prisma Migrate creates scalar lists without NOT NULL although the field is never optional.
        nullable: f.isList ? null : !f.isRequired,
      });
    }
    for (const u of unsupported[model.name] ?? []) {
      columnOf.set(u.name, u.column);
      columns.push({ name: u.column, field: u.name, types: [u.type], nullable: u.optional });
    }
    const pkFields = model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name);
    return {
      name: model.dbName ?? model.name,
      model: model.name,
      columns,
      primaryKey: pkFields.map((f) => columnOf.get(f) ?? f),
    };
  });
}

/**
 * The tables of a database's public schema, leaving out `_prisma_migrations` and tables that belong
 * to extensions (PostGIS's spatial_ref_sys).
 */
async function actualTables(databaseUrl) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query(`
      SELECT t.table_name AS name
        FROM information_schema.tables t
       WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND t.table_name <> '_prisma_migrations'
         AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e'
                            AND d.objid = format('%I.%I', t.table_schema, t.table_name)::regclass)`);
    const { rows: columns } = await client.query(`
      SELECT c.table_name, c.column_name, c.is_nullable, c.data_type, format_type(a.atttypid, a.atttypmod) AS type
        FROM information_schema.columns c
        JOIN pg_attribute a ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = c.column_name
       WHERE c.table_schema = 'public'
       ORDER BY c.table_name, c.ordinal_position`);
    const { rows: keys } = await client.query(`
      SELECT tc.table_name, kcu.column_name
        FROM information_schema.table_constraints tc
        JOIN information_schema.key_column_usage kcu
          ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
       WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY'
       ORDER BY kcu.ordinal_position`);
    return tables.map(({ name }) => ({
      name,
      columns: columns
        .filter((c) => c.table_name === name)
        .map((c) => ({
          name: c.column_name,
          type: c.type,
          dataType: c.data_type,
          nullable: c.is_nullable === 'YES',
        })),
      primaryKey: keys.filter((k) => k.table_name === name).map((k) => k.column_name),
    }));
  } finally {
    await client.end();
  }
}

/** Human-readable differences between declared and actual tables; empty when they agree. */
function diffSchema(expected, actual) {
  const problems = [];
  const actualByName = new Map(actual.map((t) => [t.name, t]));
  const expectedNames = new Set(expected.map((t) => t.name));
  for (const t of actual) {
    if (!expectedNames.has(t.name))
      problems.push(`table "${t.name}" is in the database but no model in schema.prisma maps to it`);
  }
  for (const e of expected) {
    const a = actualByName.get(e.name);
    if (!a) {
      problems.push(`model ${e.model}: table "${e.name}" does not exist in the database`);
      continue;
    }
    const actualCols = new Map(a.columns.map((c) => [c.name, c]));
    const expectedCols = new Set(e.columns.map((c) => c.name));
    for (const c of a.columns) {
      if (!expectedCols.has(c.name))
        problems.push(
          `column "${e.name}"."${c.name}" (${c.type}) is in the database but not in model ${e.model}`,
        );
    }
    for (const c of e.columns) {
      const ac = actualCols.get(c.name);
      if (!ac) {
        problems.push(
          `field ${e.model}.${c.field}: column "${e.name}"."${c.name}" does not exist in the database`,
        );
        continue;
      }
      if (!c.types.map(normalizeType).includes(normalizeType(ac.type))) {
        problems.push(
          `column "${e.name}"."${c.name}": database type ${ac.type}, schema.prisma expects ${c.types.join(' or ')}`,
        );
      }
      if (c.nullable !== null && c.nullable !== ac.nullable) {
        problems.push(
          `column "${e.name}"."${c.name}": ${ac.nullable ? 'nullable' : 'NOT NULL'} in the database, ` +
            `${c.nullable ? 'optional' : 'required'} in model ${e.model}`,
        );
      }
    }
    if (e.primaryKey.join(',') !== a.primaryKey.join(',')) {
      problems.push(
        `table "${e.name}": primary key (${a.primaryKey.join(', ')}) in the database, (${e.primaryKey.join(', ')}) in model ${e.model}`,
      );
    }
  }
  return problems;
}

/**
 * Differences between a migrated database and a Prisma schema (given as a file or as text).
 * @param {{ databaseUrl: string, schemaPath?: string, schemaText?: string }} options
 * @returns {Promise<string[]>}
 */
async function schemaDrift({ databaseUrl, schemaPath, schemaText }) {
  const text = schemaText ?? fs.readFileSync(schemaPath, 'utf8');
  return diffSchema(await expectedTables(text), await actualTables(databaseUrl));
}

module.exports = { schemaDrift, expectedTables, actualTables, diffSchema, unsupportedFields };
