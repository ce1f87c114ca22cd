import { Module } from '@nestjs/common';
import { MessagingModule, Outbox } from '@prescriptchain/messaging';
import { OutboxEventPublisher } from './adapters/outbound/prisma/outbox-event.publisher';
import { IdentityPrismaService } from './adapters/outbound/prisma/identity-prisma.service';
import { IdentityCoreModule } from './identity-core.module';

/** The only place ports are bound to adapters. */
@Module({
  imports: [
    IdentityCoreModule.forRoot({
      imports: [MessagingModule.forService({ service: 'identity', prismaToken: IdentityPrismaService })],
      eventPublisher: { useFactory: (outbox: Outbox) => new OutboxEventPublisher(outbox), inject: [Outbox] },
    }),
  ],
})
export class IdentityModule {}
