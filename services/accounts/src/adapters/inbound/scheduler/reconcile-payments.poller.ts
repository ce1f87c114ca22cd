import { Logger } from '@nestjs/common';
import type { ReconcilePaymentSessionsHandler } from '../../../application/payment-sessions/payment-sessions.handlers';

/**
 * Runs the reconciliation job every PAYMENTS_RECONCILE_INTERVAL_MS (0 = never). Every replica runs
 * it; the claim (SKIP LOCKED + lease) keeps them off each other's sessions.
 */
export class ReconcilePaymentsPoller {
  private readonly log = new Logger(ReconcilePaymentsPoller.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly job: ReconcilePaymentSessionsHandler,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.job
        .runOnce({ leaseMs: Math.max(this.intervalMs * 2, 10_000) })
        .catch((err) => this.log.warn({ msg: 'payment reconciliation pass failed', err: String(err) }))
        .finally(() => (this.running = null));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
