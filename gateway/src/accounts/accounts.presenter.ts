import {
  type ClinicAccountView,
  type LedgerEntryView,
  type PharmacySettlements,
  type SettlementView,
} from '@prescriptchain/contracts';
import type { z } from 'zod';
import { formatCents } from '../http/money';
import type {
  ClinicAccountSchema,
  LedgerEntrySchema,
  PharmacySettlementListSchema,
  SettlementSchema,
} from '../routes/accounts.routes';

/**
 * Accounts answers in integer cents; api-v1 speaks `"12.34"` strings with a currency. Only the
 * fields of the HTTP contract are copied (actor ids and clinic ids of settlements stay inside).
 */
export const presentAccount = (a: ClinicAccountView): z.input<typeof ClinicAccountSchema> => ({
  clinicId: a.clinicId,
  balance: formatCents(a.balanceCents),
  creditLimit: formatCents(a.creditLimitCents),
  usedCredit: formatCents(a.usedCreditCents),
  available: formatCents(a.availableCents),
  currency: a.currency,
  status: a.status,
  updatedAt: a.updatedAt,
});

export const presentLedgerEntry = (e: LedgerEntryView): z.input<typeof LedgerEntrySchema> => ({
  id: e.id,
  type: e.type,
  amount: formatCents(e.amountCents),
  balanceAfter: formatCents(e.balanceAfterCents),
  usedCreditAfter: formatCents(e.usedCreditAfterCents),
  currency: e.currency,
  orderId: e.orderId,
  reference: e.reference,
  reason: e.reason,
  createdAt: e.createdAt,
});

export const presentSettlement = (s: SettlementView): z.input<typeof SettlementSchema> => ({
  id: s.id,
  orderId: s.orderId,
  pharmacyId: s.pharmacyId,
  amount: formatCents(s.amountCents),
  currency: s.currency,
  status: s.status,
  reference: s.reference,
  createdAt: s.createdAt,
  paidAt: s.paidAt,
});

export const presentPharmacySettlements = (
  p: PharmacySettlements,
): z.input<typeof PharmacySettlementListSchema> => ({
  settlements: p.items.map(presentSettlement),
  totals: {
    pending: formatCents(p.totals.pendingCents),
    paid: formatCents(p.totals.paidCents),
    pendingCount: p.totals.pendingCount,
    paidCount: p.totals.paidCount,
    currency: p.totals.currency,
  },
});
