import { Logger } from '@nestjs/common';
import type { RawNotice } from '../../../application/ports/qr-payment-gateway';
import type { QrMethod } from '../../../domain/payment-session.entity';

/** Hands a signed notice to the notice endpoint of its method. */
export type QrNoticeDelivery = (method: QrMethod, notice: RawNotice) => Promise<void>;

/**
 * Delivery over HTTP to the gateway's `/api/v1/payments/<method>/notify` (PAYMENTS_NOTIFY_BASE_URL):
 * exactly what the provider would POST. Alipay's answer must be the text `success`, WeChat's a 2xx.
 */
export function httpQrNoticeDelivery(baseUrl: string, timeoutMs = 10_000): QrNoticeDelivery {
  const base = baseUrl.replace(/\/+$/, '');
  return async (method, notice) => {
    const url = `${base}/payments/${method}/notify`;
    const res = await fetch(url, {
      method: 'POST',
      headers: notice.headers,
      body: notice.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok || (method === 'alipay' && text.trim() !== 'success'))
      throw new Error(`notice endpoint ${url} answered ${res.status}`);
  };
}

/**
 * The sandboxes' "payer": some time after an order is created it pays it and delivers the signed
 * notice; failed deliveries are retried (as the providers do), and orders a restart left unpaid
 * are paid at start-up. Paying is a compare-and-set on the simulated order, so two replicas never
 * both pay one order (a redelivery of the same notice is harmless anyway).
 */
export class SandboxSettler {
  private readonly log = new Logger(SandboxSettler.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly options: {
      method: QrMethod;
      settleAfterMs: number | null;
      /** Pays the order; the notice to deliver, or null when it cannot be paid (closed). */
      pay: (outTradeNo: string) => Promise<RawNotice | null>;
      unsettled: () => Promise<string[]>;
      deliver: QrNoticeDelivery;
      retryDelaysMs?: readonly number[];
    },
  ) {}

  created(outTradeNo: string): void {
    if (this.options.settleAfterMs !== null) this.schedule(outTradeNo, this.options.settleAfterMs);
  }

  /** Pays now and delivers (tests, and by hand). */
  async settle(outTradeNo: string): Promise<void> {
    const notice = await this.options.pay(outTradeNo);
    if (notice) await this.options.deliver(this.options.method, notice);
  }

  async start(): Promise<void> {
    if (this.options.settleAfterMs === null) return;
    for (const id of await this.options.unsettled()) this.schedule(id, this.options.settleAfterMs);
  }

  async stop(timeoutMs = 5_000): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((r) => setTimeout(r, timeoutMs).unref()),
    ]);
  }

  /** Resolves when every scheduled or running settlement has finished (tests). */
  async idle(): Promise<void> {
    while (this.timers.size > 0 || this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
      if (this.timers.size > 0) await new Promise((r) => setTimeout(r, 10));
    }
  }

  private schedule(outTradeNo: string, delayMs: number, attempt = 0): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = this.settle(outTradeNo).catch((err) => {
        const delays = this.options.retryDelaysMs ?? [1_000, 5_000, 30_000];
        if (attempt < delays.length) {
          this.log.warn({ msg: 'sandbox notice delivery failed; retrying', method: this.options.method, outTradeNo, attempt: attempt + 1, err: String(err) });
          this.schedule(outTradeNo, delays[attempt], attempt + 1);
        } else {
          this.log.error({ msg: 'sandbox notice delivery failed; the reconciliation job will find the payment', method: this.options.method, outTradeNo, err: String(err) });
        }
      });
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run));
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }
}
