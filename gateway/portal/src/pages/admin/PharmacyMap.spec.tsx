import { renderToStaticMarkup } from 'react-dom/server';
import type { components } from '../../generated/api';
import { I18nProvider } from '../../i18n/i18n';
import { inRing, NORTH_ISLAND, nzProjection, SOUTH_ISLAND } from '../../lib/nz-map';
import { PharmacyMap } from './PharmacyMap';

type Pharmacy = components['schemas']['Pharmacy'];

const pharmacy = (name: string, city: string, lat: number, lng: number, status: Pharmacy['status'] = 'active') =>
  ({
    id: `id-${name}`,
    name,
    status,
    address: { street: '1 Queen St', city, postalCode: '1010', country: 'NZ' },
    location: { lat, lng },
  }) as Pharmacy;

describe("the admin's map of pharmacy locations", () => {
  it("has New Zealand's real outline: the cities are on their island, the sea between them on neither", () => {
    const auckland = [174.7633, -36.8485] as const;
    const wellington = [174.7762, -41.2865] as const;
    const christchurch = [172.6362, -43.5321] as const;
    const dunedin = [170.5028, -45.8788] as const;
    expect([auckland, wellington].map((c) => inRing(c, NORTH_ISLAND))).toEqual([true, true]);
    expect([christchurch, dunedin].map((c) => inRing(c, SOUTH_ISLAND))).toEqual([true, true]);
    expect(inRing(christchurch, NORTH_ISLAND) || inRing(auckland, SOUTH_ISLAND)).toBe(false);
    // Cook Strait, and the Tasman Sea off Westland.
    expect([[174.4, -41.45], [168.5, -42.5]].some((c) => inRing(c as [number, number], NORTH_ISLAND) || inRing(c as [number, number], SOUTH_ISLAND))).toBe(false);
  });

  it('projects with Mercator: north up, east right, and the shape kept (taller than wide)', () => {
    const map = nzProjection(300);
    const [ax, ay] = map.project(174.7633, -36.8485); // Auckland
    const [cx, cy] = map.project(172.6362, -43.5321); // Christchurch
    expect(ay).toBeLessThan(cy);
    expect(ax).toBeGreaterThan(cx);
    expect(map.height).toBeGreaterThan(map.width);
    for (const [x, y] of [map.project(166, -34), map.project(179, -47.6)]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(300.0001);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(map.height + 0.5);
    }
  });

  it('plots each pharmacy as a named pin, lists what it could not draw, and is labelled for screen readers', () => {
    const html = renderToStaticMarkup(
      <I18nProvider lang="en">
        <PharmacyMap
          pharmacies={[
            pharmacy('Herbal Garden', 'Auckland', -36.8485, 174.7633),
            pharmacy('Southern Herbs', 'Dunedin', -45.8788, 170.5028, 'suspended'),
            pharmacy('Far Away', 'Apia', -13.83, -171.76),
          ]}
        />
      </I18nProvider>,
    );
    expect(html).toMatch(/<svg viewBox="0 0 300 \d+" role="img" aria-labelledby="map-title map-caption">/);
    expect(html).toContain('<title id="map-title">Pharmacy locations in New Zealand</title>');
    expect(html.match(/<path d="M[\d. LZ]+" class="land"><\/path>/g)).toHaveLength(2);
    expect(html).toContain('<title>Herbal Garden, Auckland (-36.8485, 174.7633)</title>');
    expect(html).toContain('class="pin pin-suspended"');
    // Auckland is east of the middle: its name is drawn to the pin's left, Dunedin's to its right.
    expect(html).toMatch(/text-anchor="end" class="pin-label">Herbal Garden</);
    expect(html).toMatch(/text-anchor="start" class="pin-label">Southern Herbs</);
    expect(html.match(/data-testid="map-pin"/g)).toHaveLength(2);
    expect(html).not.toContain('Far Away');
    expect(html).toContain('2 of 3 pharmacies on the map');
  });
});
