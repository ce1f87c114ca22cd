import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DispatchDeliveriesHandler } from '../../../application/dispatch-deliveries/dispatch-deliveries.handler';
import type { NotificationsConfig } from '../../../application/notifications-config';
import { NOTIFICATIONS_CONFIG } from '../../../application/notifications-config.token';

/**
 * Drives the dispatcher: every `pollMs` (the database is the queue, so nothing is lost across
 * restarts and replicas share the work) and at once when a consumer has written e-mails. One pass
 * at a time per process; a kick during a pass schedules another.
 */
@Injectable()
export class DeliveryDispatchPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('DeliveryDispatch');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly dispatch: DispatchDeliveriesHandler,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.dispatch.pollMs > 0) {
      this.timer = setInterval(() => this.kick(), this.config.dispatch.pollMs);
      this.timer.unref();
    }
    this.kick();
  }

  /** Runs passes until nothing due is left; never throws. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = (async () => {
      try {
        do {
          this.again = false;
          while (!this.stopped && (await this.pass()) >= this.config.dispatch.batchSize) {
            // a full batch: more may be due
          }
        } while (this.again && !this.stopped);
      } finally {
        this.running = undefined;
      }
    })();
    this.running = run;
    return run;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async pass(): Promise<number> {
    try {
      return await this.dispatch.execute();
    } catch (err) {
      // The database is away or the pass timed out: the rows stay pending for the next tick.
      this.log.error(
        { err: err instanceof Error ? err.message : String(err) },
        'delivery dispatch pass failed',
      );
      return 0;
    }
  }
}
