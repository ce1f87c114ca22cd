import { Injectable } from '@nestjs/common';
import type { NearbyPharmaciesView } from '@prescriptchain/contracts';
import { isOpenAt } from '../../../domain/service-hours';
import { Clock } from '../../clock';
import { PharmacyStore } from '../../ports/pharmacy-store';

export interface NearbyInput {
  lat: number;
  lng: number;
  radiusKm: number;
  limit: number;
  medicineIds?: string[];
}

/** Active pharmacies near a point, nearest first, with whether each can supply the medicines and is open now. */
@Injectable()
export class FindNearbyPharmaciesHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly clock: Clock,
  ) {}

  async execute(input: NearbyInput): Promise<NearbyPharmaciesView> {
    const medicineIds = [...new Set(input.medicineIds ?? [])];
    const rows = await this.store.read.pharmacies.nearby({
      lat: input.lat,
      lng: input.lng,
      radiusMeters: input.radiusKm * 1000,
      limit: input.limit,
      medicineIds,
    });
    const now = this.clock.now();
    return {
      pharmacies: rows.map((r) => ({
        id: r.pharmacy.id,
        name: r.pharmacy.name,
        address: r.pharmacy.address,
        location: r.pharmacy.location,
        // A distance, not money: a float rounded to 10 m is what a map needs.
        distanceKm: Math.round(r.distanceMeters / 10) / 100,
        canSupplyAll: r.suppliedCount === medicineIds.length,
        openNow: isOpenAt(r.pharmacy.serviceHours, now),
      })),
      searchCenter: { lat: input.lat, lng: input.lng },
      searchRadius: input.radiusKm,
    };
  }
}
