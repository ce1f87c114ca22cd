/**
 * The slice of a Prisma 7 client the kit needs. A real `PrismaClient` (over @prisma/adapter-pg)
 * satisfies it, and so does its interactive-transaction client for `SqlExecutor`. Raw SQL because
 * Prisma cannot say `FOR UPDATE SKIP LOCKED` or `ON CONFLICT DO NOTHING` with a row count.
 */
export interface SqlExecutor {
  /** Runs a statement with `$1..$n` parameters; resolves to the affected-row count. */
  $executeRawUnsafe(query: string, ...values: any[]): Promise<number>;
  /** Runs a query with `$1..$n` parameters; resolves to the rows. */
  $queryRawUnsafe<T = unknown>(query: string, ...values: any[]): Promise<T>;
}

export interface SqlTransactionOptions {
  maxWait?: number;
  timeout?: number;
}

export interface SqlClient extends SqlExecutor {
  $transaction<R>(fn: (tx: SqlExecutor) => Promise<R>, options?: SqlTransactionOptions): Promise<R>;
}
