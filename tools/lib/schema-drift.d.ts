// Types for tools/lib/schema-drift.js.
export interface ExpectedTable {
  name: string;
  model: string;
  columns: { name: string; field: string; types: string[]; nullable: boolean | null }[];
  primaryKey: string[];
}
export interface ActualTable {
  name: string;
  columns: { name: string; type: string; dataType: string; nullable: boolean }[];
  primaryKey: string[];
}
/** Differences between a migrated database and a Prisma schema; [] when they agree. */
export declare function schemaDrift(options: {
  databaseUrl: string;
  schemaPath?: string;
  schemaText?: string;
}): Promise<string[]>;
export declare function expectedTables(schemaText: string): Promise<ExpectedTable[]>;
export declare function actualTables(databaseUrl: string): Promise<ActualTable[]>;
export declare function diffSchema(expected: ExpectedTable[], actual: ActualTable[]): string[];
