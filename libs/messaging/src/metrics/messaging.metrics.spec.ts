import { MessagingCountersSchema } from '@prescriptchain/contracts';
import { MessagingMetrics } from './messaging.metrics';

describe(MessagingMetrics.name, () => {
  it('snapshots the counters with the backlog read from its source', async () => {
    const sut = new MessagingMetrics();
    sut.countPublished(3);
    sut.countConsumed();
    sut.countRetried();
    sut.countDeadLettered();
    sut.setBacklogSource(async () => 7);
    const snapshot = await sut.snapshot();
    expect(MessagingCountersSchema.parse(snapshot)).toEqual({ published: 3, consumed: 1, retried: 1, deadLettered: 1, outboxBacklog: 7 });
  });

  it('still answers when the backlog source fails (the ping must not fail with the database)', async () => {
    const sut = new MessagingMetrics();
    sut.setBacklogSource(async () => {
      throw new Error('db down');
    });
    expect((await sut.snapshot()).outboxBacklog).toBe(0);
  });

  it('gives the transport and the module the same instance per service', () => {
    expect(MessagingMetrics.forService('orders')).toBe(MessagingMetrics.forService('orders'));
    expect(MessagingMetrics.forService('orders')).not.toBe(MessagingMetrics.forService('accounts'));
  });
});
