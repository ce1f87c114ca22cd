// Types for tools/migrate.js (plain CommonJS so it runs without a build step).
export interface MigrateResult {
  /** true when the database did not exist and was created */
  created: boolean;
  /** migration folder names applied by this call, in order */
  applied: string[];
  alreadyApplied: number;
}
export declare class MigrationError extends Error {}
export declare const ADVISORY_LOCK_KEY: number;
/** Creates the database if missing, then applies every not-yet-applied folder of migrationsDir. */
export declare function migrate(
  databaseUrl: string,
  migrationsDir: string,
  options?: { log?: (line: string) => void },
): Promise<MigrateResult>;
/** Migrates the named services' databases (all by default) at their configured URLs. */
export declare function migrateServices(
  services?: string[],
  options?: { log?: (line: string) => void; env?: NodeJS.ProcessEnv },
): Promise<void>;
export declare function ensureDatabase(databaseUrl: string): Promise<boolean>;
export declare function readMigrations(
  migrationsDir: string,
): { name: string; sql: string; checksum: string }[];
