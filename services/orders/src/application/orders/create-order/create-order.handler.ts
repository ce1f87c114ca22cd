import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  CodedError,
  type OrderCaller,
  type OrderView,
  type PatientInfo,
  requestHash,
} from '@prescriptchain/contracts';
import { Order } from '../../../domain/order/order.entity';
import { IdempotencyKeyHeld, OrdersStore } from '../../ports/orders-store';
import { Clock } from '../clock';
import { requestDebit } from '../order-messages';
import { OrderPricing, type FormulaLineInput } from '../order-pricing';
import { orderView } from '../order-views';
import { OrdersConfig } from '../orders-config';

export interface CreateOrderInput {
  caller: OrderCaller;
  clinicId: string;
  patientInfo: PatientInfo;
  items: FormulaLineInput[];
  packs: number;
  notes?: string | null;
  draft: boolean;
  safetyOverrideReason?: string | null;
  idempotencyKey?: string | null;
  requestHash?: string | null;
}

/**
 * POST /orders. Validates, checks safety and prices before anything is written; then, in ONE
 * transaction: holds the Idempotency-Key (per practitioner, in the database, so it holds across
 * gateway replicas and restarts), stores the order and — unless it is a draft — moves it to
 * PENDING_PAYMENT and outboxes accounts.debit.requested (saga step 1). Either all of it commits or
 * none of it (in the store, all of it is one statement: no BEGIN/COMMIT round trips).
 */
@Injectable()
export class CreateOrderHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly pricing: OrderPricing,
    private readonly config: OrdersConfig,
    private readonly clock: Clock,
  ) {}

  async execute(input: CreateOrderInput): Promise<OrderView> {
    const { caller } = input;
    if (caller.role !== 'practitioner' || !caller.clinicIds.includes(input.clinicId)) {
      throw new CodedError(
        'INSUFFICIENT_PERMISSIONS',
        'Only a practitioner of this clinic may prescribe for it.',
      );
    }
    const now = this.clock.now();
    const requestHash = input.requestHash ?? hashOfRequest(input);
    const expiredBefore = new Date(now.getTime() - this.config.idempotencyTtlMs);

    // The key is claimed with the transaction's writes below (when another order holds it, nothing
    // is written and that order is replayed), not looked up before: one round trip less per order.
    // A replay answers with the first result without validating again (the catalogue may have
    // moved), so a request refused here still checks whether its key is held before the refusal
    // stands.
    let order: Order;
    try {
      const { lines, safetyOverride } = await this.pricing.price({
        items: input.items,
        packs: input.packs,
        pregnant: input.patientInfo.pregnant === true,
        safetyOverrideReason: input.safetyOverrideReason,
        by: caller.userId,
        at: now,
      });
      order = Order.create(
        {
          id: randomUUID(),
          practitionerId: caller.userId,
          clinicId: input.clinicId,
          patient: input.patientInfo,
          notes: input.notes ?? null,
          packs: input.packs,
          lines,
          safetyOverride,
        },
        now,
      );
      if (!input.draft) order.requestPayment(now, this.config.paymentDeadline(now), caller.userId);
    } catch (err) {
      if (input.idempotencyKey && err instanceof CodedError) {
        const held = await this.store.findIdempotencyKey(caller.userId, input.idempotencyKey, expiredBefore);
        if (held) return this.replay(caller, held, requestHash);
      }
      throw err;
    }

    const key = input.idempotencyKey;
    try {
      await this.store.transaction(async (tx) => {
        if (key) {
          await tx.holdIdempotencyKey({
            practitionerId: caller.userId,
            key,
            requestHash,
            orderId: order.id,
            at: now,
            expiredBefore,
          });
        }
        await tx.insert(order);
        if (order.status === 'PENDING_PAYMENT') await requestDebit(tx, order);
      });
    } catch (err) {
      if (!(err instanceof IdempotencyKeyHeld) || !key) throw err;
      // Another order holds the key (a replay, or a concurrent request with it that committed first).
      const held = await this.store.findIdempotencyKey(caller.userId, key, expiredBefore);
      if (!held) throw new Error(`idempotency key of ${caller.userId} neither taken nor held`);
      return this.replay(caller, held, requestHash);
    }
    return orderView(order, caller);
  }

  private async replay(
    caller: OrderCaller,
    held: { orderId: string; requestHash: string },
    requestHash: string,
  ) {
    if (held.requestHash !== requestHash) throw new CodedError('IDEMPOTENCY_KEY_REUSED');
    const order = await this.store.findById(held.orderId);
    if (!order) throw new CodedError('ORDER_NOT_FOUND');
    return orderView(order, caller);
  }
}

/** A stable hash of what was asked (key order does not matter), when the gateway sent none. */
export function hashOfRequest(input: CreateOrderInput): string {
  const { caller, clinicId, patientInfo, items, packs, notes, draft, safetyOverrideReason } = input;
  const asked = {
    practitionerId: caller.userId,
    clinicId,
    patientInfo,
    items,
    packs,
    notes,
    draft,
    safetyOverrideReason,
  };
  return requestHash(asked);
}
