import type { Channel } from 'amqplib';
import { EXCHANGES, type ServiceName, queueNames } from '@prescriptchain/contracts';

export type ServiceQueueOwner = ServiceName | 'gateway';

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1000, 5000, 15000];
export const DEFAULT_DELIVERY_LIMIT = 10;

/** The shared exchanges. Every channel that publishes declares them first: a publish to a missing exchange kills the channel. */
export async function assertExchanges(ch: Channel): Promise<void> {
  await ch.assertExchange(EXCHANGES.events, 'topic', { durable: true });
  await ch.assertExchange(EXCHANGES.deadLetter, 'direct', { durable: true });
  await ch.assertExchange(EXCHANGES.retry, 'direct', { durable: true });
}

export interface EventQueuesSpec {
  service: ServiceQueueOwner;
  /** Message types the service's handlers declare; each becomes a binding on the events exchange. */
  routingKeys: readonly string[];
  retryDelaysMs: readonly number[];
  deliveryLimit: number;
}

/**
 * `<svc>.events` (quorum, dead-lettering to `<svc>.events.dlq`, with a delivery limit as the backstop
 * for poison messages that crash the process), its DLQ, and one TTL retry queue per backoff level
 * that dead-letters back to `<svc>.events` only — so a retry returns to the queue that failed it.
 */
export async function assertEventQueues(ch: Channel, spec: EventQueuesSpec): Promise<void> {
  const q = queueNames(spec.service);
  await assertExchanges(ch);
  await ch.assertQueue(q.deadLetter, { durable: true });
  await ch.bindQueue(q.deadLetter, EXCHANGES.deadLetter, q.events);
  await ch.assertQueue(q.events, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-dead-letter-exchange': EXCHANGES.deadLetter,
      'x-dead-letter-routing-key': q.events,
      'x-delivery-limit': spec.deliveryLimit,
    },
  });
  for (const [i, ttl] of spec.retryDelaysMs.entries()) {
    const retryQueue = q.retryLevel(i + 1);
    await ch.assertQueue(retryQueue, {
      durable: true,
      arguments: {
        'x-message-ttl': ttl,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': q.events,
      },
    });
    await ch.bindQueue(retryQueue, EXCHANGES.retry, retryQueue);
  }
  for (const key of spec.routingKeys) await ch.bindQueue(q.events, EXCHANGES.events, key);
}

/** `<svc>.rpc`: classic durable; requests carry `expiration` = their deadline, so stale ones vanish. */
export async function assertRpcQueue(ch: Channel, service: ServiceQueueOwner): Promise<void> {
  await ch.assertQueue(queueNames(service).rpc, { durable: true });
}

/**
 * A queue of this process's own on the events exchange: server-named, exclusive (only this
 * connection may consume it) and auto-delete (gone with its consumer), bound to `routingKeys`.
 * Every process that declares one gets its own copy of each event — a broadcast, not a competing
 * consumer — and nothing is left behind when the process or its connection goes.
 */
export async function assertBroadcastQueue(ch: Channel, routingKeys: readonly string[]): Promise<string> {
  await assertExchanges(ch);
  const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
  for (const key of routingKeys) await ch.bindQueue(queue, EXCHANGES.events, key);
  return queue;
}
