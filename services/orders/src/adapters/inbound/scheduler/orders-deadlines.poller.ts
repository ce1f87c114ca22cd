import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EnforceDeadlinesHandler } from '../../../application/orders/enforce-deadlines/enforce-deadlines.handler';
import { OrdersConfig } from '../../../application/orders/orders-config';

/**
 * Runs the deadline job every ORDER_JOBS_INTERVAL_MS. The timer holds no state: what is due lives in
 * the database and is claimed with SKIP LOCKED, so every replica may poll. One pass at a time here.
 */
@Injectable()
export class OrdersDeadlinesPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('OrdersDeadlines');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly job: EnforceDeadlinesHandler,
    private readonly config: OrdersConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.jobsIntervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.config.jobsIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  tick(): Promise<void> {
    this.running ??= this.job
      .execute()
      .then(({ timedOut, expired, holdsLapsed }) => {
        if (timedOut + expired + holdsLapsed)
          this.log.log(
            `deadlines: ${timedOut} payments timed out, ${expired} credentials expired, ${holdsLapsed} holds lapsed`,
          );
      })
      .catch((err: unknown) => this.log.error(`deadline job failed: ${(err as Error).message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
