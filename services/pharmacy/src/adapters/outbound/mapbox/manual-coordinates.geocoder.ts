import { CodedError } from '@prescriptchain/contracts';
import { Geocoder } from '../../../application/ports/geocoder';

/** No geocoding configured (no MAPBOX_ACCESS_TOKEN): admins give coordinates themselves. */
export class ManualCoordinatesGeocoder extends Geocoder {
  async geocode(): Promise<never> {
    throw new CodedError(
      'VALIDATION_FAILED',
      "Geocoding is not configured: give the pharmacy's coordinates.",
      [
        {
          path: 'location',
          message: 'required: { lat, lng } (set MAPBOX_ACCESS_TOKEN to geocode addresses)',
        },
      ],
    );
  }
}
