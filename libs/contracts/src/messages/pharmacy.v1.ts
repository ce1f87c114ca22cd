import { z } from 'zod';
import { defineMessage } from '../registry';

const Locale = z.enum(['en', 'zh']);
const PharmacyStatus = z.enum(['active', 'suspended']);

/** What other services need to address a pharmacy (notifications e-mails its contact address). */
const PharmacyContact = {
  pharmacyId: z.uuid(),
  name: z.string().min(1),
  contactEmail: z.email(),
  /** The language the pharmacy wants to be written to. */
  locale: Locale.default('en'),
};

export const PharmacyRegisteredV1 = defineMessage({
  type: 'pharmacy.pharmacy.registered',
  version: 1,
  kind: 'event',
  payload: z.object(PharmacyContact),
});

/** The whole current contact card after any change (not a diff), so consumers can simply upsert. */
export const PharmacyUpdatedV1 = defineMessage({
  type: 'pharmacy.pharmacy.updated',
  version: 1,
  kind: 'event',
  payload: z.object({ ...PharmacyContact, status: PharmacyStatus }),
});

/** A pharmacy claimed an order with photo proof; `payoutCents` is fixed here, at submission. */
export const ProofSubmittedV1 = defineMessage({
  type: 'pharmacy.proof.submitted',
  version: 1,
  kind: 'event',
  payload: z.object({
    proofId: z.uuid(),
    orderId: z.uuid(),
    pharmacyId: z.uuid(),
    payoutCents: z.number().int().nonnegative(),
    fileCount: z.number().int().positive(),
  }),
});

export const ProofReviewedV1 = defineMessage({
  type: 'pharmacy.proof.reviewed',
  version: 1,
  kind: 'event',
  payload: z.object({
    proofId: z.uuid(),
    orderId: z.uuid(),
    pharmacyId: z.uuid(),
    decision: z.enum(['approved', 'rejected']),
    comments: z.string().nullable(),
    reviewerId: z.uuid(),
  }),
});

export const PHARMACY_MESSAGES = [PharmacyRegisteredV1, PharmacyUpdatedV1, ProofSubmittedV1, ProofReviewedV1];
