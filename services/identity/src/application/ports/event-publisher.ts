import type { MessageDefinition, PayloadOf } from '@prescriptchain/contracts';

export interface PublishMeta {
  correlationId?: string;
  causationId?: string;
}

/**
 * Records an event in the caller's database transaction (the outbox), so it is published if and
 * only if the state change commits. `tx` is the store's transaction handle (a Prisma transaction
 * client for the Prisma store); the application never looks inside it.
 */
export abstract class EventPublisher {
  abstract publish<D extends MessageDefinition>(
    tx: unknown,
    definition: D,
    payload: PayloadOf<D>,
    meta?: PublishMeta,
  ): Promise<void>;

  /** Called after a transaction that published has committed, so the relay can send at once. */
  afterCommit(): void {}
}
