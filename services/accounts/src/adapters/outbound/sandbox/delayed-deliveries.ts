import type { Logger } from '@nestjs/common';

/**
 * The sandboxes' timers (the card sandbox's webhook events, the QR sandboxes' notices): runs
 * `deliver(id)` after a delay, retries a failed delivery with backoff as the providers do, and can be
 * stopped (a bounded wait for deliveries under way) or awaited until idle (tests).
 */
export class DelayedDeliveries {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly deliver: (id: string) => Promise<void>,
    private readonly options: {
      log: Logger;
      /** What the retry and give-up log lines say, and the fields that name the delivery. */
      retryingMsg: string;
      givingUpMsg: string;
      fields: (id: string) => Record<string, unknown>;
      retryDelaysMs?: readonly number[];
    },
  ) {}

  schedule(id: string, delayMs: number, attempt = 0): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = this.deliver(id).catch((err) => {
        const delays = this.options.retryDelaysMs ?? [1_000, 5_000, 30_000];
        if (attempt < delays.length) {
          this.options.log.warn({
            msg: this.options.retryingMsg,
            ...this.options.fields(id),
            attempt: attempt + 1,
            err: String(err),
          });
          this.schedule(id, delays[attempt], attempt + 1);
        } else {
          this.options.log.error({
            msg: this.options.givingUpMsg,
            ...this.options.fields(id),
            err: String(err),
          });
        }
      });
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run));
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Cancels scheduled deliveries and waits (bounded) for those under way. */
  async stop(timeoutMs = 5_000): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((r) => setTimeout(r, timeoutMs).unref()),
    ]);
  }

  /** Resolves when every scheduled or running delivery has finished (tests). */
  async idle(): Promise<void> {
    while (this.timers.size > 0 || this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
      if (this.timers.size > 0) await new Promise((r) => setTimeout(r, 10));
    }
  }
}
