import type {
  AccountsPagination,
  ClinicAccountView,
  LedgerEntryView,
  SettlementView,
} from '@prescriptchain/contracts';
import type { ClinicAccount } from '../domain/clinic-account.entity';
import type { LedgerEntry } from '../domain/ledger-entry';
import type { Settlement } from '../domain/settlement.entity';

/** What the RPC replies carry: cents and ISO timestamps (the gateway formats money for HTTP). */
export function accountView(account: ClinicAccount, updatedAt: Date): ClinicAccountView {
  const s = account.snapshot();
  return {
    clinicId: s.clinicId,
    balanceCents: s.balanceCents,
    creditLimitCents: s.creditLimitCents,
    usedCreditCents: s.usedCreditCents,
    availableCents: account.availableCents,
    currency: 'NZD',
    status: s.status,
    updatedAt: updatedAt.toISOString(),
  };
}

export function ledgerEntryView(e: LedgerEntry): LedgerEntryView {
  return {
    id: e.id,
    clinicId: e.clinicId,
    type: e.type,
    amountCents: e.amountCents,
    balanceAfterCents: e.balanceAfterCents,
    usedCreditAfterCents: e.usedCreditAfterCents,
    currency: 'NZD',
    orderId: e.orderId,
    reference: e.reference,
    actorId: e.actorId,
    reason: e.reason,
    createdAt: e.createdAt.toISOString(),
  };
}

export function settlementView(settlement: Settlement): SettlementView {
  const s = settlement.snapshot();
  return {
    id: s.id,
    orderId: s.orderId,
    clinicId: s.clinicId,
    pharmacyId: s.pharmacyId,
    amountCents: s.amountCents,
    currency: 'NZD',
    status: s.status,
    reference: s.reference,
    createdAt: s.createdAt.toISOString(),
    paidAt: s.paidAt?.toISOString() ?? null,
  };
}

export function pagination(page: number, limit: number, total: number): AccountsPagination {
  const totalPages = Math.ceil(total / limit);
  return { page, limit, total, totalPages, hasNext: page < totalPages, hasPrev: page > 1 };
}
