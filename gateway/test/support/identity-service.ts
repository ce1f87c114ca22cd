// The real identity service, started in-process (a test-only dependency on another project).
import type { INestMicroservice } from '@nestjs/common';
import { MessagingModule, Outbox, createServiceMicroservice } from '@prescriptchain/messaging';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { IdentityPrismaService } from '../../../services/identity/src/adapters/outbound/prisma/identity-prisma.service';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { OutboxEventPublisher } from '../../../services/identity/src/adapters/outbound/prisma/outbox-event.publisher';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { IdentityCoreModule } from '../../../services/identity/src/identity-core.module';
import { migrate } from '../../../tools/migrate';

/**
 * Identity as it runs (its RPCs, its outbox publishing its events) on `databaseUrl` — migrated
 * here — and `amqpUrl`, its first admin `admin`, with a cheap argon2 so a suite can sign many in.
 */
export async function startIdentity(options: {
  databaseUrl: string;
  amqpUrl: string;
  admin: { email: string; password: string };
}): Promise<INestMicroservice> {
  await migrate(options.databaseUrl, join(__dirname, '..', '..', '..', 'services', 'identity', 'prisma', 'migrations'));
  const identity = await createServiceMicroservice(
    IdentityCoreModule.forRoot({
      env: {
        IDENTITY_DATABASE_URL: options.databaseUrl,
        ADMIN_EMAIL: options.admin.email,
        ADMIN_PASSWORD: options.admin.password,
        NODE_ENV: 'test',
      },
      config: { argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 } },
      imports: [
        MessagingModule.forService({
          service: 'identity',
          prismaToken: IdentityPrismaService,
          url: options.amqpUrl,
        }),
      ],
      eventPublisher: {
        useFactory: (outbox: Outbox) => new OutboxEventPublisher(outbox),
        inject: [Outbox],
      },
    }),
    { service: 'identity', url: options.amqpUrl, nest: { logger: false }, shutdownHooks: false },
  );
  await identity.listen();
  return identity;
}
