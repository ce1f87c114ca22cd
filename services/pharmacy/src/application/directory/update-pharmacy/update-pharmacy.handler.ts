import { Injectable } from '@nestjs/common';
import { CodedError, type PharmacyView, PharmacyUpdatedV1 } from '@prescriptchain/contracts';
import type { ServiceHours } from '../../../domain/service-hours';
import { type Caller, assertAdmin } from '../../caller';
import { Clock } from '../../clock';
import { Geocoder, type PostalAddress } from '../../ports/geocoder';
import { type PharmacyData, type PharmacyStatus, PharmacyStore } from '../../ports/pharmacy-store';
import { toPharmacyView } from '../../views';
import { locate, normalizeHours } from '../pharmacy-input';

export interface UpdatePharmacyInput {
  pharmacyId: string;
  name?: string;
  address?: PostalAddress;
  location?: { lat: number; lng: number };
  contact?: { email: string; phone?: string | null };
  licenseInfo?: string | null;
  serviceHours?: ServiceHours | null;
  locale?: 'en' | 'zh';
  status?: PharmacyStatus;
}

/**
 * Changes a pharmacy (admin), suspension and reactivation included. A new address without
 * coordinates is geocoded again. Every change publishes the whole contact card with its status.
 */
@Injectable()
export class UpdatePharmacyHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly geocoder: Geocoder,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, input: UpdatePharmacyInput): Promise<PharmacyView> {
    assertAdmin(caller);
    // Geocode before the transaction: no row lock is held while a provider answers.
    const location =
      input.location ?? (input.address ? await locate(this.geocoder, input.address, undefined) : undefined);
    const updated = await this.store.transaction(async (tx) => {
      const current = await tx.pharmacies.findById(input.pharmacyId, { forUpdate: true });
      if (!current) throw new CodedError('NOT_FOUND', 'Pharmacy not found.');
      const next: PharmacyData = {
        id: current.id,
        name: input.name ?? current.name,
        address: input.address ?? current.address,
        location: location ?? current.location,
        contactEmail: input.contact?.email ?? current.contactEmail,
        contactPhone: input.contact ? (input.contact.phone ?? null) : current.contactPhone,
        licenseInfo: input.licenseInfo !== undefined ? input.licenseInfo : current.licenseInfo,
        serviceHours:
          input.serviceHours !== undefined ? normalizeHours(input.serviceHours) : current.serviceHours,
        locale: input.locale ?? current.locale,
        status: input.status ?? current.status,
      };
      const pharmacy = await tx.pharmacies.update(next, this.clock.now());
      await tx.publish(PharmacyUpdatedV1, {
        pharmacyId: pharmacy.id,
        name: pharmacy.name,
        contactEmail: pharmacy.contactEmail,
        locale: pharmacy.locale,
        status: pharmacy.status,
      });
      return pharmacy;
    });
    return toPharmacyView(updated);
  }
}
