import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * An order outcome event (`orders.order.paid` / `orders.order.payment_failed`) as orders' outbox
 * publishes it: an envelope whose payload is the contract's recorded fixture of that type for
 * `orderId`, with `payload` laid over it (`undefined` values drop a field). Consumers read events
 * through the contracts registry, so a stand-in must be one the registry accepts.
 */
export function outcomeEnvelope(type: string, orderId: string, payload: Record<string, unknown> = {}): Buffer {
  const fixture = JSON.parse(
    readFileSync(join(__dirname, '..', '..', '..', 'libs', 'contracts', 'src', 'fixtures', `${type}.v1.json`), 'utf8'),
  ) as { payload: Record<string, unknown> };
  return Buffer.from(
    JSON.stringify({
      messageId: randomUUID(),
      type,
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId: orderId,
      causationId: null,
      traceparent: null,
      payload: { ...fixture.payload, orderId, ...payload },
    }),
  );
}
