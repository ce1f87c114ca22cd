/// <reference types="mapbox__mapbox-sdk" />
// (tsconfig lists its global types; the SDK's are DefinitelyTyped's @types/mapbox__mapbox-sdk.)
import { CodedError } from '@prescriptchain/contracts';
import createGeocodingService from '@mapbox/mapbox-sdk/services/geocoding';
import { Geocoder, type PostalAddress } from '../../../application/ports/geocoder';

/** Country names admins type, as the ISO 3166 codes Mapbox filters on. Others are not filtered. */
const COUNTRY_CODES: Record<string, string> = {
  nz: 'nz',
  nzl: 'nz',
  'new zealand': 'nz',
  aotearoa: 'nz',
  'aotearoa new zealand': 'nz',
  au: 'au',
  australia: 'au',
};

/**
 * Mapbox forward geocoding in permanent mode (`mapbox.places-permanent`): the only mode whose
 * results may be stored, which is what we do with a pharmacy's coordinates.
 */
export class MapboxGeocoder extends Geocoder {
  private readonly service: ReturnType<typeof createGeocodingService>;

  constructor(private readonly options: { accessToken: string; origin?: string | null; timeoutMs: number }) {
    super();
    this.service = createGeocodingService({
      accessToken: options.accessToken,
      ...(options.origin ? { origin: options.origin } : {}),
    });
  }

  async geocode(address: PostalAddress): Promise<{ lat: number; lng: number } | null> {
    const country = COUNTRY_CODES[address.country.trim().toLowerCase()];
    const request = this.service.forwardGeocode({
      query: [address.street, address.city, address.postalCode, address.country].join(', '),
      mode: 'mapbox.places-permanent',
      ...(country ? { countries: [country] } : {}),
      types: ['address', 'poi', 'postcode', 'place'],
      autocomplete: false,
      limit: 1,
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      const response = await Promise.race([
        request.send(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            request.abort();
            reject(new Error(`no answer within ${this.options.timeoutMs} ms`));
          }, this.options.timeoutMs);
        }),
      ]);
      const center = response.body.features?.[0]?.center;
      if (!center || !Number.isFinite(center[0]) || !Number.isFinite(center[1])) return null;
      return { lat: center[1], lng: center[0] };
    } catch (err) {
      // The SDK rejects with a MapiError (statusCode, message) for HTTP errors; never echo the token.
      const e = err as { statusCode?: number; message?: string };
      throw new CodedError('EXTERNAL_SERVICE_ERROR', 'Geocoding failed; try again or give the coordinates.', {
        provider: 'mapbox',
        status: e.statusCode ?? null,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
