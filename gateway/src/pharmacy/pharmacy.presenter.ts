import type { InventoryView, ProofView } from '@prescriptchain/contracts';
import type { z } from 'zod';
import { formatCents } from '../http/money';
import type {
  ClaimListItemSchema,
  ClaimSchema,
  CredentialScanSchema,
  FulfillmentProofSchema,
  InventorySchema,
} from '../routes/pharmacy.routes';
import type { ClaimPageViewSchema, ClaimResultViewSchema, ScanResultViewSchema } from './pharmacy-replies';

/**
 * Pharmacy answers in integer cents; api-v1 speaks `"12.34"` strings with a currency. Everything
 * else of its views already has the HTTP contract's shape (the route schemas keep only its fields).
 */
export const presentInventory = (v: InventoryView): z.input<typeof InventorySchema> => ({
  pharmacyId: v.pharmacyId,
  items: v.items.map((i) => ({
    medicineId: i.medicineId,
    wholesalePrice: formatCents(i.wholesalePriceCents),
    available: i.available,
    updatedAt: i.updatedAt,
  })),
  currency: 'NZD',
});

export const presentScan = (
  s: z.output<typeof ScanResultViewSchema>,
): z.input<typeof CredentialScanSchema> => ({
  order: s.order,
  estimatedPayout: formatCents(s.estimatedPayoutCents),
  currency: s.currency,
  redeemable: s.redeemable,
  undeclaredMedicineIds: s.undeclaredMedicineIds,
  claimedBy: s.claimedBy,
});

export const presentClaim = (c: z.output<typeof ClaimResultViewSchema>): z.input<typeof ClaimSchema> => ({
  orderId: c.orderId,
  platformOrderId: c.platformOrderId,
  pharmacyId: c.pharmacyId,
  status: c.status,
  payout: formatCents(c.payoutCents),
  currency: c.currency,
  holdExpiresAt: c.holdExpiresAt,
  claimedAt: c.claimedAt,
});

export const presentClaimListItem = (
  c: z.output<typeof ClaimPageViewSchema>['items'][number],
): z.input<typeof ClaimListItemSchema> => ({
  orderId: c.orderId,
  platformOrderId: c.platformOrderId,
  status: c.status,
  payout: formatCents(c.payoutCents),
  currency: c.currency,
  holdExpiresAt: c.holdExpiresAt,
  claimedAt: c.claimedAt,
});

/** `url` turns a signed download path into the URL the client uses. */
export const presentProof = (
  p: ProofView,
  url: (signed: string) => string = (signed) => signed,
): z.input<typeof FulfillmentProofSchema> => ({
  id: p.id,
  orderId: p.orderId,
  pharmacyId: p.pharmacyId,
  reviewStatus: p.reviewStatus,
  payout: formatCents(p.payoutCents),
  currency: p.currency,
  notes: p.notes,
  files: p.files.map((f) => ({
    fileId: f.fileId,
    fileName: f.fileName,
    contentType: f.contentType,
    size: f.size,
    ...(f.downloadUrl !== undefined && { downloadUrl: url(f.downloadUrl), expiresIn: f.expiresIn }),
  })),
  submittedBy: p.submittedBy,
  submittedAt: p.submittedAt,
  reviewerId: p.reviewerId,
  reviewComments: p.reviewComments,
  reviewedAt: p.reviewedAt,
});
