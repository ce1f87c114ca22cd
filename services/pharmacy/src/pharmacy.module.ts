import { Module } from '@nestjs/common';
import { MessagingModule } from '@prescriptchain/messaging';
import { PharmacyPrismaService } from './adapters/outbound/prisma/pharmacy-prisma.service';
import { PharmacyCoreModule } from './pharmacy-core.module';

/** The only place ports are bound to adapters (PharmacyCoreModule chooses them from the environment). */
@Module({
  imports: [
    PharmacyCoreModule.forRoot({
      imports: [MessagingModule.forService({ service: 'pharmacy', prismaToken: PharmacyPrismaService })],
    }),
  ],
})
export class PharmacyModule {}
