import type { MessageDefinition, PayloadOf } from '@prescriptchain/contracts';
import { EventPublisher, type PublishMeta } from '../../../application/ports/event-publisher';

/** The part of the messaging kit's Outbox this adapter uses (structural, so identity does not pin its class). */
export interface OutboxLike {
  enqueue(
    tx: unknown,
    message: {
      definition: MessageDefinition;
      payload: unknown;
      correlationId?: string;
      causationId?: string;
    },
  ): Promise<unknown>;
  /** Publish pending rows now (after a commit). */
  kick(): void;
}

/** Writes identity's events into outbox_message inside the caller's Prisma transaction. */
export class OutboxEventPublisher extends EventPublisher {
  constructor(private readonly outbox: OutboxLike) {
    super();
  }

  async publish<D extends MessageDefinition>(
    tx: unknown,
    definition: D,
    payload: PayloadOf<D>,
    meta: PublishMeta = {},
  ) {
    await this.outbox.enqueue(tx, { definition, payload, ...meta });
  }

  override afterCommit(): void {
    this.outbox.kick();
  }
}
