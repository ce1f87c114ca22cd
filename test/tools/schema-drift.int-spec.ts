import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../support/infra';
import { schemaDrift } from '../../tools/lib/schema-drift';

const SCHEMA = `
generator client {
  provider     = "prisma-client"
  output       = "../src/generated/prisma"
  moduleFormat = "cjs"
}

datasource db {
  provider = "postgresql"
}

enum Status {
  OPEN
  CLOSED

  @@map("ledger_status")
}

model Ledger {
  id        String    @id @default(uuid()) @db.Uuid
  clinicId  String    @map("clinic_id")
  amount    Decimal   @db.Decimal(12, 2)
  status    Status    @default(OPEN)
  tags      String[]
  search    Unsupported("tsvector")?
  closedAt  DateTime? @map("closed_at") @db.Timestamptz(3)
  createdAt DateTime  @default(now()) @map("created_at")
  lines     Line[]

  @@map("ledger")
}

model Line {
  ledgerId String @map("ledger_id") @db.Uuid
  seq      Int
  note     String? @db.VarChar(200)
  ledger   Ledger @relation(fields: [ledgerId], references: [id])

  @@id([ledgerId, seq])
  @@map("ledger_line")
}
`;

const MIGRATION = `
CREATE TYPE "ledger_status" AS ENUM ('OPEN', 'CLOSED');
CREATE TABLE "ledger" (
  "id" UUID NOT NULL PRIMARY KEY,
  "clinic_id" TEXT NOT NULL,
  "amount" DECIMAL(12,2) NOT NULL,
  "status" "ledger_status" NOT NULL DEFAULT 'OPEN',
  "tags" TEXT[],
  "search" TSVECTOR,
  "closed_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE "ledger_line" (
  "ledger_id" UUID NOT NULL REFERENCES "ledger"("id"),
  "seq" INTEGER NOT NULL,
  "note" VARCHAR(200),
  CONSTRAINT "ledger_line_pkey" PRIMARY KEY ("ledger_id", "seq")
);
`;

describe('schema drift check', () => {
  let db: TestDatabase;
  const sql = async (text: string) => {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };

  beforeEach(async () => {
    db = await createTestDatabase('drift');
    await sql(MIGRATION);
  });
  afterEach(async () => {
    await db.drop();
  });

  it('finds no drift when the database matches the schema (enums, lists, Unsupported, @map, composite keys)', async () => {
    expect(await schemaDrift({ databaseUrl: db.url, schemaText: SCHEMA })).toEqual([]);
  });

  it('reports a column that exists only in the database', async () => {
    await sql('ALTER TABLE "ledger" ADD COLUMN "memo" TEXT');
    expect(await schemaDrift({ databaseUrl: db.url, schemaText: SCHEMA })).toEqual([
      'column "ledger"."memo" (text) is in the database but not in model Ledger',
    ]);
  });

  it('reports a field that exists only in schema.prisma', async () => {
    const schema = SCHEMA.replace('  lines     Line[]', '  memo      String?\n  lines     Line[]');
    expect(await schemaDrift({ databaseUrl: db.url, schemaText: schema })).toEqual([
      'field Ledger.memo: column "ledger"."memo" does not exist in the database',
    ]);
  });

  it('reports type, precision and nullability differences', async () => {
    await sql(
      'ALTER TABLE "ledger" ALTER COLUMN "amount" TYPE NUMERIC(10,2), ALTER COLUMN "clinic_id" DROP NOT NULL',
    );
    await sql('ALTER TABLE "ledger" ALTER COLUMN "closed_at" TYPE TIMESTAMP(3)');
    expect(await schemaDrift({ databaseUrl: db.url, schemaText: SCHEMA })).toEqual([
      'column "ledger"."clinic_id": nullable in the database, required in model Ledger',
      'column "ledger"."amount": database type numeric(10,2), schema.prisma expects numeric(12,2)',
      'column "ledger"."closed_at": database type timestamp(3) without time zone, schema.prisma expects timestamp(3) with time zone',
    ]);
  });

  it('reports tables missing on either side and a primary key that differs', async () => {
    await sql('CREATE TABLE "stray" ("id" INT)');
    const schema =
      SCHEMA.replace('@@id([ledgerId, seq])', '@@id([seq, ledgerId])') + '\nmodel Audit {\n  id Int @id\n}\n';
    expect(await schemaDrift({ databaseUrl: db.url, schemaText: schema })).toEqual([
      'table "stray" is in the database but no model in schema.prisma maps to it',
      'table "ledger_line": primary key (ledger_id, seq) in the database, (seq, ledger_id) in model Line',
      'model Audit: table "Audit" does not exist in the database',
    ]);
  });
});
