import { Injectable } from '@nestjs/common';
import { CodedError } from '@prescriptchain/contracts';
import { normalizeDecoctionMethod } from '../../domain/order/decoction-method';
import {
  MAX_TOTAL_CENTS,
  formatMg,
  lineTotalCents,
  parseGramsToMg,
  sumCents,
} from '../../domain/order/order-money';
import type { OrderLine, SafetyOverride } from '../../domain/order/order.entity';
import { type SafetyViolation, checkFormula, enforceFormulaSafety } from '../../domain/safety/formula-safety';
import { MedicineCatalogue } from '../ports/medicine-catalogue';

export interface FormulaLineInput {
  medicineId: string;
  /** Grams per pack: "12.5" or 12.5. */
  quantity: string | number;
  processing?: string | null;
  decoctionMethod?: string | null;
  dosageInstructions?: string | null;
}

export interface FormulaInput {
  items: readonly FormulaLineInput[];
  packs: number;
  pregnant: boolean;
  safetyOverrideReason?: string | null;
  /** Who prescribes (recorded with an override). */
  by: string;
  at: Date;
}

export interface PricedFormula {
  lines: OrderLine[];
  safetyOverride: SafetyOverride | null;
}

/** A formula priced and checked, nothing decided: what `POST /orders/check` shows as it is written. */
export interface CheckedFormula {
  lines: OrderLine[];
  /** Every safety rule the formula breaks, most serious first (empty when it is safe). */
  violations: SafetyViolation[];
}

/**
 * Turns what a practitioner wrote into priced order lines, or refuses it — all before any money
 * moves: every item must name an active medicine with a positive quantity (at most 3 decimals) and
 * a known decoction method; then the formula passes the safety rules (restricted herbs never, the
 * rest only with a safetyOverrideReason, which is kept); then each line is priced exactly.
 */
@Injectable()
export class OrderPricing {
  constructor(private readonly medicines: MedicineCatalogue) {}

  async price(input: FormulaInput): Promise<PricedFormula> {
    const { lines, violations } = await this.check(input);
    const decision = enforceFormulaSafety(violations, input.safetyOverrideReason);
    const safetyOverride: SafetyOverride | null = decision.overridden.length
      ? {
          reason: decision.overrideReason!,
          violations: decision.overridden.map(({ rule, medicineIds, message }) => ({
            rule,
            medicineIds,
            message,
          })),
          by: input.by,
          at: input.at,
        }
      : null;
    return { lines, safetyOverride };
  }

  /**
   * Validates and prices the formula and lists the safety rules it breaks, without refusing it for
   * them (an invalid formula — unknown or retired medicine, bad quantity — is still VALIDATION_FAILED).
   */
  async check(input: Omit<FormulaInput, 'by' | 'at' | 'safetyOverrideReason'>): Promise<CheckedFormula> {
    const problems: { path: string; message: string }[] = [];
    const quantities = input.items.map((item, i) => {
      try {
        return parseGramsToMg(item.quantity, `items[${i}].quantity`);
      } catch (e) {
        problems.push(...(((e as CodedError).details as { path: string; message: string }[]) ?? []));
        return 0n;
      }
    });
    const decoctions = input.items.map((item, i) => {
      if (!item.decoctionMethod) return null;
      const method = normalizeDecoctionMethod(item.decoctionMethod);
      if (!method) {
        problems.push({
          path: `items[${i}].decoctionMethod`,
          message: 'must be one of 先煎 后下 包煎 另煎 烊化 冲服 (or its pinyin)',
        });
      }
      return method ?? null;
    });

    const byId = await this.medicines.findByIds([...new Set(input.items.map((i) => i.medicineId))]);
    input.items.forEach((item, i) => {
      const medicine = byId.get(item.medicineId);
      if (!medicine) problems.push({ path: `items[${i}].medicineId`, message: 'is not in the catalogue' });
      else if (medicine.status !== 'active') {
        problems.push({
          path: `items[${i}].medicineId`,
          message: `${medicine.name} is retired and cannot be ordered`,
        });
      }
    });
    if (problems.length) throw new CodedError('VALIDATION_FAILED', 'The order is not valid.', problems);

    const violations = checkFormula(
      {
        items: input.items.map((item, i) => ({
          medicineId: item.medicineId,
          quantityGrams: Number(formatMg(quantities[i])),
        })),
        packs: input.packs,
        pregnant: input.pregnant,
      },
      (id) => byId.get(id),
    );
    const lines = input.items.map((item, i): OrderLine => {
      const medicine = byId.get(item.medicineId)!;
      const totalCents = priceLine(medicine.priceCentsPerGram, quantities[i], input.packs);
      return {
        medicineId: medicine.id,
        name: medicine.name,
        pinyin: medicine.pinyin,
        englishName: medicine.englishName,
        unit: medicine.unit,
        quantityMg: quantities[i],
        unitPriceCents: medicine.priceCentsPerGram,
        totalCents,
        processing: item.processing ?? null,
        decoctionMethod: decoctions[i],
        dosageInstructions: item.dosageInstructions ?? null,
      };
    });
    if (sumCents(lines.map((l) => l.totalCents)) > MAX_TOTAL_CENTS) throw tooLarge();
    return { lines, violations };
  }
}

const tooLarge = () =>
  new CodedError('VALIDATION_FAILED', 'The order total is too large.', [
    { path: 'items', message: 'the order total exceeds 9999999999.99' },
  ]);

function priceLine(unitPriceCents: number, quantityMg: bigint, packs: number): number {
  let cents: number;
  try {
    cents = lineTotalCents(unitPriceCents, quantityMg, packs);
  } catch (e) {
    if (e instanceof RangeError) throw tooLarge(); // beyond what a safe integer can hold
    throw e;
  }
  if (cents > MAX_TOTAL_CENTS) throw tooLarge();
  return cents;
}
