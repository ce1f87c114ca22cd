// Prisma 7 reads the datasource URL here, not from schema.prisma. The placeholder keeps install-time
// `prisma generate` working without any database configured.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.ACCOUNTS_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://placeholder/db',
  },
});
