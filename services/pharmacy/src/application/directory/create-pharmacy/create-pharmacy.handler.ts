import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type PharmacyView, PharmacyRegisteredV1 } from '@prescriptchain/contracts';
import type { ServiceHours } from '../../../domain/service-hours';
import { type Caller, assertAdmin } from '../../caller';
import { Clock } from '../../clock';
import { Geocoder, type PostalAddress } from '../../ports/geocoder';
import { PharmacyStore } from '../../ports/pharmacy-store';
import { toPharmacyView } from '../../views';
import { locate, normalizeHours } from '../pharmacy-input';

export interface CreatePharmacyInput {
  name: string;
  address: PostalAddress;
  location?: { lat: number; lng: number } | null;
  contact: { email: string; phone?: string | null };
  licenseInfo?: string | null;
  serviceHours?: ServiceHours | null;
  locale?: 'en' | 'zh';
}

/** Registers a pharmacy (admin). Without coordinates its address is geocoded. */
@Injectable()
export class CreatePharmacyHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly geocoder: Geocoder,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, input: CreatePharmacyInput): Promise<PharmacyView> {
    assertAdmin(caller);
    const location = await locate(this.geocoder, input.address, input.location);
    const created = await this.store.transaction(async (tx) => {
      const pharmacy = await tx.pharmacies.insert(
        {
          id: randomUUID(),
          name: input.name,
          address: input.address,
          location,
          contactEmail: input.contact.email,
          contactPhone: input.contact.phone ?? null,
          licenseInfo: input.licenseInfo ?? null,
          serviceHours: normalizeHours(input.serviceHours),
          locale: input.locale ?? 'en',
          status: 'active',
        },
        this.clock.now(),
      );
      await tx.publish(PharmacyRegisteredV1, {
        pharmacyId: pharmacy.id,
        name: pharmacy.name,
        contactEmail: pharmacy.contactEmail,
        locale: pharmacy.locale,
      });
      return pharmacy;
    });
    return toPharmacyView(created);
  }
}
