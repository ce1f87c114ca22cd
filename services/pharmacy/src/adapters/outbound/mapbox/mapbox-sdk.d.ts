// @mapbox/mapbox-sdk ships no types; this is the slice MapboxGeocoder uses.
declare module '@mapbox/mapbox-sdk/services/geocoding' {
  interface MapiRequest {
    send(): Promise<{
      statusCode: number;
      body: { features?: { center?: [number, number]; relevance?: number; place_name?: string }[] };
    }>;
    abort(): void;
  }
  interface GeocodingService {
    forwardGeocode(config: {
      query: string;
      mode?: 'mapbox.places' | 'mapbox.places-permanent';
      countries?: string[];
      limit?: number;
      types?: string[];
      autocomplete?: boolean;
    }): MapiRequest;
  }
  function createGeocodingService(config: { accessToken: string; origin?: string }): GeocodingService;
  export = createGeocodingService;
}
