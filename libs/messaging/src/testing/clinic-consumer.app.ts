/**
 * A small accounts-like consumer for the integration suites: on `identity.clinic.created` it claims
 * the inbox and records an effect row in one transaction. Hooks let a suite fail or crash it.
 */
import { Controller, Inject, Module } from '@nestjs/common';
import type { INestMicroservice } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ClinicCreatedV1, type Envelope, type PayloadOf } from '@prescriptchain/contracts';
import type { AmqpContext } from '../amqp/amqp.context';
import type { AmqpTransport, AmqpTransportOptions } from '../amqp/amqp.transport';
import { Inbox } from '../inbox/inbox';
import { createServiceMicroservice } from '../nest/create-service-microservice';
import type { PgSqlClient } from './messaging-test-kit';

export const CLINIC_CONSUMER = 'accounts.open-clinic-account';
export const EFFECT_DDL = 'CREATE TABLE effect (message_id uuid NOT NULL, clinic_id uuid NOT NULL, attempt int NOT NULL);';

type ClinicCreated = Envelope<PayloadOf<typeof ClinicCreatedV1>>;

export class ConsumerProbe {
  readonly deliveries: { messageId: string; name: string; attempt: number; at: number }[] = [];
  /** Runs before the transaction; throw to make the handler fail. */
  before?: (envelope: ClinicCreated, ctx: AmqpContext) => Promise<void> | void;
  /** Runs after the commit, before the handler resolves (i.e. before the ack). */
  afterCommit?: (envelope: ClinicCreated, ctx: AmqpContext) => Promise<void> | void;
}

const DB = Symbol('DB');

@Controller()
class ClinicCreatedController {
  constructor(
    @Inject(DB) private readonly db: PgSqlClient,
    @Inject(ConsumerProbe) private readonly probe: ConsumerProbe,
  ) {}

  @EventPattern<string>(ClinicCreatedV1.type)
  async onClinicCreated(@Payload() envelope: ClinicCreated, @Ctx() ctx: AmqpContext): Promise<void> {
    this.probe.deliveries.push({ messageId: envelope.messageId, name: envelope.payload.name, attempt: ctx.getAttempt(), at: Date.now() });
    await this.probe.before?.(envelope, ctx);
    await this.db.$transaction(async (tx) => {
      if (!(await Inbox.claim(tx, CLINIC_CONSUMER, envelope))) return;
      await tx.$executeRawUnsafe(
        'INSERT INTO effect (message_id, clinic_id, attempt) VALUES ($1, $2, $3)',
        envelope.messageId,
        envelope.payload.clinicId,
        ctx.getAttempt(),
      );
    });
    await this.probe.afterCommit?.(envelope, ctx);
  }
}

export async function startClinicConsumer(options: {
  db: PgSqlClient;
  probe: ConsumerProbe;
  transport: Omit<AmqpTransportOptions, 'service'>;
}): Promise<{ app: INestMicroservice; transport: AmqpTransport }> {
  @Module({
    controllers: [ClinicCreatedController],
    providers: [
      { provide: DB, useValue: options.db },
      { provide: ConsumerProbe, useValue: options.probe },
    ],
  })
  class ClinicConsumerModule {}

  const app = await createServiceMicroservice(ClinicConsumerModule, {
    ...options.transport,
    service: 'accounts',
    nest: { logger: false },
    shutdownHooks: false,
  });
  await app.listen();
  return { app, transport: app.getTransportServer() as AmqpTransport };
}
