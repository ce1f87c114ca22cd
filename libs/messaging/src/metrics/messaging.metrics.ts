import type { MessagingCounters } from '@prescriptchain/contracts';

/**
 * In-process messaging counters of one service. The transport counts consumed / retried /
 * dead-lettered messages, the outbox relay counts published ones; the backlog gauge is read from the
 * outbox table when a snapshot is taken (the gateway collects snapshots through each ping RPC).
 */
export class MessagingMetrics {
  private static readonly perService = new Map<string, MessagingMetrics>();

  /**
   * The process-wide counters of one service. The transport (built before Nest's container exists)
   * and MessagingModule both default to it, so they count into the same instance without wiring.
   */
  static forService(service: string): MessagingMetrics {
    let metrics = MessagingMetrics.perService.get(service);
    if (!metrics) MessagingMetrics.perService.set(service, (metrics = new MessagingMetrics()));
    return metrics;
  }

  private published = 0;
  private consumed = 0;
  private retried = 0;
  private deadLettered = 0;
  private backlogSource: () => Promise<number> = async () => 0;

  countPublished(n = 1): void {
    this.published += n;
  }
  countConsumed(n = 1): void {
    this.consumed += n;
  }
  countRetried(n = 1): void {
    this.retried += n;
  }
  countDeadLettered(n = 1): void {
    this.deadLettered += n;
  }

  /** Where `outboxBacklog` comes from (the Outbox registers its `backlog()`). */
  setBacklogSource(source: () => Promise<number>): void {
    this.backlogSource = source;
  }

  async snapshot(): Promise<MessagingCounters> {
    let outboxBacklog = 0;
    try {
      outboxBacklog = await this.backlogSource();
    } catch {
      // A snapshot is diagnostics: an unreachable database must not fail the ping that carries it.
      outboxBacklog = 0;
    }
    return {
      published: this.published,
      consumed: this.consumed,
      retried: this.retried,
      deadLettered: this.deadLettered,
      outboxBacklog,
    };
  }
}
