import type { PharmacyView, ProofFileView, ProofView } from '@prescriptchain/contracts';
import { reviewStatusOf } from '../domain/fulfillment-proof';
import type { PharmacyRecord, ProofRecord, StoredFileRecord } from './ports/pharmacy-store';

export function toPharmacyView(p: PharmacyRecord): PharmacyView {
  return {
    id: p.id,
    name: p.name,
    address: { ...p.address },
    location: { ...p.location },
    contact: { email: p.contactEmail, phone: p.contactPhone },
    licenseInfo: p.licenseInfo,
    serviceHours: p.serviceHours,
    locale: p.locale,
    status: p.status,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function toProofFileView(
  f: StoredFileRecord,
  download?: { url: string; expiresIn: number },
): ProofFileView {
  return {
    fileId: f.id,
    fileName: f.fileName,
    contentType: f.contentType,
    size: f.size ?? f.declaredSize,
    ...(download ? { downloadUrl: download.url, expiresIn: download.expiresIn } : {}),
  };
}

export function toProofView(p: ProofRecord, files: ProofFileView[]): ProofView {
  return {
    id: p.id,
    orderId: p.orderId,
    pharmacyId: p.pharmacyId,
    reviewStatus: reviewStatusOf(p.status),
    payoutCents: p.payoutCents,
    currency: 'NZD',
    notes: p.notes,
    files,
    submittedBy: p.submittedBy,
    submittedAt: p.createdAt.toISOString(),
    reviewerId: p.reviewerId,
    reviewComments: p.reviewComments,
    reviewedAt: p.reviewedAt?.toISOString() ?? null,
  };
}
