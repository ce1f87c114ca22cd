import { Module } from '@nestjs/common';
import { MessagingModule } from '@prescriptchain/messaging';
import { PharmacyPrismaModule, PharmacyPrismaService } from './adapters/outbound/prisma/pharmacy-prisma.service';

/** The only place ports are bound to adapters. */
@Module({
  imports: [PharmacyPrismaModule.forRoot(), MessagingModule.forService({ service: 'pharmacy', prismaToken: PharmacyPrismaService })],
})
export class PharmacyModule {}
