import type { AccountsPrismaService } from '../prisma/accounts-prisma.service';
import { centsToDecimal, decimalToCents } from '@prescriptchain/contracts';

/** An order as a simulated provider holds it (Alipay's status words, used by both simulators). */
export interface SimOrder {
  outTradeNo: string;
  method: 'alipay' | 'wechat';
  tradeNo: string;
  amountCents: number;
  currency: string;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  notifyUrl: string | null;
  refundedCents: number;
  createdAt: Date;
  paidAt: Date | null;
}

/** Where a provider simulator keeps its orders: memory (test stand-ins) or accounts' database (the sandboxes). */
export interface SimOrderStore {
  /** Inserts unless the order exists; returns the stored order. */
  create(order: SimOrder): Promise<SimOrder>;
  find(outTradeNo: string): Promise<SimOrder | null>;
  /** Moves the order from one status to another; false when it was not in `from` (a lost race). */
  transition(
    outTradeNo: string,
    from: SimOrder['status'],
    to: SimOrder['status'],
    at: Date,
  ): Promise<boolean>;
  /** Adds a refund unless it would exceed the amount paid; false then. */
  addRefund(outTradeNo: string, cents: number): Promise<boolean>;
  /** Orders created but not paid or closed (a restart re-schedules them). */
  unsettled(method: SimOrder['method']): Promise<SimOrder[]>;
}

/**
 * The payer scans and pays: the order becomes paid (compare-and-set, so two replicas never both pay
 * it). `force` also pays an order already closed (a payment that went through at the provider just
 * as we closed it: the late-payment case). The paid order, or null when it cannot be paid.
 */
export async function payOrder(
  store: SimOrderStore,
  outTradeNo: string,
  { force = false } = {},
): Promise<SimOrder | null> {
  const order = await store.find(outTradeNo);
  if (!order) return null;
  const now = new Date();
  const paid =
    (await store.transition(outTradeNo, 'WAIT_BUYER_PAY', 'TRADE_SUCCESS', now)) ||
    (force && (await store.transition(outTradeNo, 'TRADE_CLOSED', 'TRADE_SUCCESS', now)));
  if (!paid && order.status !== 'TRADE_SUCCESS') return null;
  return store.find(outTradeNo);
}

export class MemorySimOrderStore implements SimOrderStore {
  private readonly orders = new Map<string, SimOrder>();

  async create(order: SimOrder): Promise<SimOrder> {
    if (!this.orders.has(order.outTradeNo)) this.orders.set(order.outTradeNo, { ...order });
    return { ...this.orders.get(order.outTradeNo)! };
  }
  async find(outTradeNo: string): Promise<SimOrder | null> {
    const o = this.orders.get(outTradeNo);
    return o ? { ...o } : null;
  }
  async transition(outTradeNo: string, from: SimOrder['status'], to: SimOrder['status'], at: Date) {
    const o = this.orders.get(outTradeNo);
    if (!o || o.status !== from) return false;
    o.status = to;
    if (to === 'TRADE_SUCCESS') o.paidAt = at;
    return true;
  }
  async addRefund(outTradeNo: string, cents: number) {
    const o = this.orders.get(outTradeNo);
    if (!o || o.refundedCents + cents > o.amountCents) return false;
    o.refundedCents += cents;
    return true;
  }
  async unsettled(method: SimOrder['method']) {
    return [...this.orders.values()].filter((o) => o.method === method && o.status === 'WAIT_BUYER_PAY');
  }
}

interface SimOrderRow {
  out_trade_no: string;
  method: 'alipay' | 'wechat';
  trade_no: string;
  amount: string;
  currency: string;
  status: SimOrder['status'];
  notify_url: string | null;
  refunded: string;
  created_at: Date;
  paid_at: Date | null;
}
const COLUMNS =
  'out_trade_no, method, trade_no, amount::text AS amount, currency, status, notify_url, refunded::text AS refunded, created_at, paid_at';
const toOrder = (r: SimOrderRow): SimOrder => ({
  outTradeNo: r.out_trade_no,
  method: r.method,
  tradeNo: r.trade_no,
  amountCents: decimalToCents(r.amount),
  currency: r.currency,
  status: r.status,
  notifyUrl: r.notify_url,
  refundedCents: decimalToCents(r.refunded),
  createdAt: r.created_at,
  paidAt: r.paid_at,
});

/** The sandboxes' orders in `sandbox_qr_order`: every replica sees the same provider. */
export class PrismaSimOrderStore implements SimOrderStore {
  constructor(private readonly prisma: AccountsPrismaService) {}

  async create(o: SimOrder): Promise<SimOrder> {
    await this.prisma.$executeRaw`
      INSERT INTO sandbox_qr_order (out_trade_no, method, trade_no, amount, currency, status, notify_url, created_at)
      VALUES (${o.outTradeNo}, ${o.method}, ${o.tradeNo}, ${centsToDecimal(o.amountCents)}::numeric, ${o.currency},
              ${o.status}, ${o.notifyUrl}, ${o.createdAt}::timestamptz)
      ON CONFLICT (out_trade_no) DO NOTHING`;
    return (await this.find(o.outTradeNo))!;
  }
  async find(outTradeNo: string): Promise<SimOrder | null> {
    const rows = await this.prisma.$queryRawUnsafe<SimOrderRow[]>(
      `SELECT ${COLUMNS} FROM sandbox_qr_order WHERE out_trade_no = $1`,
      outTradeNo,
    );
    return rows[0] ? toOrder(rows[0]) : null;
  }
  async transition(outTradeNo: string, from: SimOrder['status'], to: SimOrder['status'], at: Date) {
    const n = await this.prisma.$executeRaw`
      UPDATE sandbox_qr_order SET status = ${to},
             paid_at = CASE WHEN ${to} = 'TRADE_SUCCESS' THEN ${at}::timestamptz ELSE paid_at END
       WHERE out_trade_no = ${outTradeNo} AND status = ${from}`;
    return n === 1;
  }
  async addRefund(outTradeNo: string, cents: number) {
    const n = await this.prisma.$executeRaw`
      UPDATE sandbox_qr_order SET refunded = refunded + ${centsToDecimal(cents)}::numeric
       WHERE out_trade_no = ${outTradeNo} AND refunded + ${centsToDecimal(cents)}::numeric <= amount`;
    return n === 1;
  }
  async unsettled(method: SimOrder['method']) {
    const rows = await this.prisma.$queryRawUnsafe<SimOrderRow[]>(
      `SELECT ${COLUMNS} FROM sandbox_qr_order WHERE method = $1 AND status = 'WAIT_BUYER_PAY' ORDER BY created_at LIMIT 1000`,
      method,
    );
    return rows.map(toOrder);
  }
}
