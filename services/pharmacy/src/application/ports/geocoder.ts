export interface PostalAddress {
  street: string;
  city: string;
  country: string;
  postalCode: string;
}

/** Turns an address into coordinates (Mapbox permanent geocoding when configured). */
export abstract class Geocoder {
  /**
   * The address's coordinates, or null when it cannot be found. Throws VALIDATION_FAILED when no
   * geocoding is configured (coordinates must be given) and EXTERNAL_SERVICE_ERROR when the provider fails.
   */
  abstract geocode(address: PostalAddress): Promise<{ lat: number; lng: number } | null>;
}
