import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PHARMACY_RPC, type PharmacyView } from '@prescriptchain/contracts';
import { MapboxGeocoder } from '../src/adapters/outbound/mapbox/mapbox.geocoder';
import { type PharmacyKit, createPharmacyKit } from './pharmacy-test-kit';

/** A Mapbox access token the SDK can parse (it reads the owner from the middle part). */
const TOKEN = `pk.${Buffer.from(JSON.stringify({ u: 'prescriptchain-test', a: 'x' })).toString('base64')}.signature`;
const QUEEN_STREET = { lng: 174.7652, lat: -36.8466 };

/** The slice of Mapbox's Geocoding API v5 the adapter calls: GET /geocoding/v5/{mode}/{query}.json. */
class MapboxStandIn {
  readonly requests: URL[] = [];
  private server!: Server;
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.origin);
    this.requests.push(url);
    const m = /^\/geocoding\/v5\/(mapbox\.places(?:-permanent)?)\/([^/]+)\.json$/.exec(url.pathname);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || !m) return json(404, { message: 'Not Found' });
    if (url.searchParams.get('access_token') !== TOKEN)
      return json(401, { message: 'Not Authorized - Invalid Token' });
    const query = decodeURIComponent(m[2]);
    if (query.includes('Slow')) return; // never answers
    if (query.includes('Broken')) return json(500, { message: 'Internal Server Error' });
    const features = query.includes('Queen Street')
      ? [{ id: 'address.1', place_name: query, relevance: 1, center: [QUEEN_STREET.lng, QUEEN_STREET.lat] }]
      : [];
    json(200, { type: 'FeatureCollection', query: query.split(' '), features });
  }
}

const address = (street: string) => ({
  street,
  city: 'Auckland',
  country: 'New Zealand',
  postalCode: '1010',
});

describe(MapboxGeocoder.name, () => {
  const standIn = new MapboxStandIn();
  let sut: MapboxGeocoder;

  beforeAll(async () => {
    await standIn.start();
    sut = new MapboxGeocoder({ accessToken: TOKEN, origin: standIn.origin, timeoutMs: 500 });
  });

  afterAll(async () => {
    await standIn.stop();
  });

  it('geocodes an address with permanent geocoding, limited to New Zealand, best match only', async () => {
    expect(await sut.geocode(address('1 Queen Street'))).toEqual(QUEEN_STREET);
    const request = standIn.requests.at(-1)!;
    expect(request.pathname).toBe(
      `/geocoding/v5/mapbox.places-permanent/${encodeURIComponent('1 Queen Street, Auckland, 1010, New Zealand')}.json`,
    );
    expect(Object.fromEntries(request.searchParams)).toMatchObject({
      access_token: TOKEN,
      country: 'nz',
      limit: '1',
      autocomplete: 'false',
    });
  });

  it('answers null for an address the provider cannot find', async () => {
    expect(await sut.geocode(address('1 Nowhere Lane'))).toBeNull();
  });

  it('turns a provider failure or silence into EXTERNAL_SERVICE_ERROR without leaking the token', async () => {
    for (const street of ['1 Broken Road', '1 Slow Road']) {
      const error = await sut.geocode(address(street)).then(
        () => null,
        (e: unknown) => e as { code: string; message: string; details: unknown },
      );
      expect(error).toMatchObject({ code: '5001' });
      expect(JSON.stringify(error?.details)).not.toContain(TOKEN);
    }
  });

  describe('wired into the service (MAPBOX_ACCESS_TOKEN set)', () => {
    let kit: PharmacyKit;

    beforeAll(async () => {
      kit = await createPharmacyKit('pharmacy_geocode', {
        orders: false,
        env: { MAPBOX_ACCESS_TOKEN: TOKEN, MAPBOX_API_ORIGIN: standIn.origin },
      });
    });

    afterAll(async () => {
      await kit?.close();
    });

    it('places a pharmacy registered without coordinates where Mapbox finds its address', async () => {
      const created = await kit.call<PharmacyView>(PHARMACY_RPC.createPharmacy, {
        caller: kit.admin,
        name: 'Geocoded',
        address: address('1 Queen Street'),
        contact: { email: 'geo@pharmacy.test' },
      });
      expect(created.location).toEqual({
        lat: expect.closeTo(QUEEN_STREET.lat, 9),
        lng: expect.closeTo(QUEEN_STREET.lng, 9),
      });
      const unknown = await kit.failure(PHARMACY_RPC.createPharmacy, {
        caller: kit.admin,
        name: 'Lost',
        address: address('1 Nowhere Lane'),
        contact: { email: 'geo@pharmacy.test' },
      });
      expect(unknown).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'location' }] });
    });
  });
});
