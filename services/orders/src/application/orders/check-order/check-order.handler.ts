import { Injectable } from '@nestjs/common';
import { CodedError, type OrderCaller, type OrderCheckView } from '@prescriptchain/contracts';
import { formatMg, sumCents } from '../../../domain/order/order-money';
import { OrderPricing, type FormulaLineInput } from '../order-pricing';

export interface CheckOrderInput {
  caller: OrderCaller;
  clinicId: string;
  items: FormulaLineInput[];
  packs: number;
  pregnant: boolean;
}

/**
 * POST /orders/check: prices a formula and lists the safety rules it breaks, as the prescription
 * pad is written. Nothing is stored, no message is sent, no money moves; the same pricing and the
 * same rules as POST /orders, so what the pad shows is what the order will cost and be refused for.
 * Only a practitioner of the clinic may check for it (the gateway adds the clinic's `available`).
 */
@Injectable()
export class CheckOrderHandler {
  constructor(private readonly pricing: OrderPricing) {}

  async execute(input: CheckOrderInput): Promise<OrderCheckView> {
    const { caller } = input;
    if (caller.role !== 'practitioner' || !caller.clinicIds.includes(input.clinicId)) {
      throw new CodedError(
        'INSUFFICIENT_PERMISSIONS',
        'Only a practitioner of this clinic may prescribe for it.',
      );
    }
    const { lines, violations } = await this.pricing.check({
      items: input.items,
      packs: input.packs,
      pregnant: input.pregnant,
    });
    return {
      items: lines.map((l) => ({
        medicineId: l.medicineId,
        name: l.name,
        pinyin: l.pinyin,
        englishName: l.englishName,
        unit: l.unit,
        quantity: formatMg(l.quantityMg),
        unitPriceCents: l.unitPriceCents,
        totalPriceCents: l.totalCents,
      })),
      packs: input.packs,
      totalCents: sumCents(lines.map((l) => l.totalCents)),
      currency: 'NZD',
      safety: violations.map(({ rule, medicineIds, message, overridable }) => ({
        rule,
        medicineIds,
        message,
        overridable,
      })),
    };
  }
}
