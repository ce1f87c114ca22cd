/**
 * NUMERIC(12,2) ↔ integer cents: the contract's one conversion (libs/contracts/src/money.ts), by
 * string arithmetic, never through a float. Prisma hands NUMERIC columns back as Decimal objects.
 */
export { centsToDecimal, decimalToCents } from '@prescriptchain/contracts';
