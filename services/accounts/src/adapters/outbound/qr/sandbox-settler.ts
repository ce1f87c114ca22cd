import { Logger } from '@nestjs/common';
import type { RawNotice } from '../../../application/ports/payment-gateway';
import type { QrMethod } from '../../../domain/payment-session.entity';
import { DelayedDeliveries } from '../sandbox/delayed-deliveries';
import type { SimOrderStore } from './sim-order.store';

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
  private readonly deliveries: DelayedDeliveries;

  constructor(
    private readonly options: {
      method: QrMethod;
      /** The provider's simulator: pays an order, giving the signed notice, or null when it cannot be paid (closed). */
      sim: { pay(outTradeNo: string): Promise<RawNotice | null> };
      store: SimOrderStore;
      settleAfterMs: number | null;
      deliver: QrNoticeDelivery;
      retryDelaysMs?: readonly number[];
    },
  ) {
    this.deliveries = new DelayedDeliveries((outTradeNo) => this.settle(outTradeNo), {
      log: this.log,
      retryingMsg: 'sandbox notice delivery failed; retrying',
      givingUpMsg: 'sandbox notice delivery failed; the reconciliation job will find the payment',
      fields: (outTradeNo) => ({ method: options.method, outTradeNo }),
      retryDelaysMs: options.retryDelaysMs,
    });
  }

  /** Creates the order (through the adapter, `create`) and, when it is new, schedules its payment. */
  async creating<T>(outTradeNo: string, create: () => Promise<T>): Promise<T> {
    const existed = await this.options.store.find(outTradeNo);
    const created = await create();
    if (!existed && this.options.settleAfterMs !== null) this.schedule(outTradeNo, this.options.settleAfterMs);
    return created;
  }

  /** Pays now and delivers (tests, and by hand). */
  async settle(outTradeNo: string): Promise<void> {
    const paid = await this.options.sim.pay(outTradeNo);
    if (paid) await this.options.deliver(this.options.method, { body: paid.body, headers: paid.headers });
  }

  async start(): Promise<void> {
    if (this.options.settleAfterMs === null) return;
    for (const o of await this.options.store.unsettled(this.options.method)) this.schedule(o.outTradeNo, this.options.settleAfterMs);
  }

  stop(timeoutMs = 5_000): Promise<void> {
    return this.deliveries.stop(timeoutMs);
  }

  /** Resolves when every scheduled or running settlement has finished (tests). */
  idle(): Promise<void> {
    return this.deliveries.idle();
  }

  private schedule(outTradeNo: string, delayMs: number): void {
    this.deliveries.schedule(outTradeNo, delayMs);
  }
}
