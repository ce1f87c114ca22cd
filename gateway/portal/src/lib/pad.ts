import { gramsToMg, toCents } from './money';

/** One line of the prescription pad as the practitioner is writing it. */
export interface PadLine {
  medicineId: string;
  name: string;
  pinyin: string;
  englishName: string;
  unit: string;
  /** Catalogue price per unit, `"0.14"`. */
  price: string;
  /** Per pack, as typed (`"10.25"`). */
  quantity: string;
  decoctionMethod: string;
  dosageInstructions: string;
}

export const DECOCTION_METHODS = ['先煎', '后下', '包煎', '另煎', '烊化', '冲服'] as const;

/**
 * One line's cost exactly as orders prices it: cents per gram × milligrams × packs ÷ 1000, rounded
 * half-up once per line (services/orders/src/domain/order/order-money.ts). Null when the quantity or
 * price cannot be read yet (the practitioner is still typing).
 */
export function lineTotalCents(price: string, quantity: string, packs: number): number | null {
  const unit = toCents(price);
  const mg = gramsToMg(quantity);
  if (unit === null || mg === null || !Number.isInteger(packs) || packs < 1) return null;
  const exact = BigInt(unit) * BigInt(mg) * BigInt(packs);
  const cents = exact / 1000n + ((exact % 1000n) * 2n >= 1000n ? 1n : 0n);
  return Number(cents);
}

export interface PadTotals {
  /** Per line, null where it cannot be priced yet. */
  lines: (number | null)[];
  /** Σ of the priced lines. */
  totalCents: number;
  /** Every line is priced: the total is what the order will cost. */
  complete: boolean;
}

/** The pad's running total while the server's check is on its way. */
export function padTotals(lines: readonly PadLine[], packs: number): PadTotals {
  const each = lines.map((l) => lineTotalCents(l.price, l.quantity, packs));
  return {
    lines: each,
    totalCents: each.reduce<number>((s, c) => s + (c ?? 0), 0),
    complete: lines.length > 0 && each.every((c) => c !== null),
  };
}

/** Whether the available amount covers the total (both in cents). */
export const affordable = (totalCents: number, availableCents: number | null) =>
  availableCents === null || totalCents <= availableCents;
