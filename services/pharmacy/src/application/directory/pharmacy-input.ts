import { CodedError } from '@prescriptchain/contracts';
import type { ServiceHours } from '../../domain/service-hours';
import type { Geocoder, PostalAddress } from '../ports/geocoder';

/** The coordinates given, or the address's from the geocoder; neither → VALIDATION_FAILED asking for them. */
export async function locate(
  geocoder: Geocoder,
  address: PostalAddress,
  given: { lat: number; lng: number } | null | undefined,
): Promise<{ lat: number; lng: number }> {
  if (given) return { lat: given.lat, lng: given.lng };
  const found = await geocoder.geocode(address);
  if (!found) {
    throw new CodedError('VALIDATION_FAILED', 'The address could not be located; give the coordinates.', [
      { path: 'location', message: 'the address could not be geocoded: give { lat, lng }' },
    ]);
  }
  return found;
}

/** Days without intervals are dropped: absent and empty both mean closed. */
export function normalizeHours(hours: ServiceHours | null | undefined): ServiceHours {
  const out: ServiceHours = {};
  for (const [day, intervals] of Object.entries(hours ?? {}) as [
    keyof ServiceHours,
    ServiceHours[keyof ServiceHours],
  ][]) {
    if (intervals && intervals.length > 0)
      out[day] = [...intervals].sort((a, b) => a.open.localeCompare(b.open));
  }
  return out;
}
