import type { components } from '../../generated/api';
import { useI18n } from '../../i18n/i18n';
import { NORTH_ISLAND, nzProjection, SOUTH_ISLAND } from '../../lib/nz-map';

type Pharmacy = components['schemas']['Pharmacy'];

const MAP = nzProjection(300);

/**
 * The pharmacies on a map of New Zealand (an SVG drawn here: no tiles, nothing from elsewhere). A
 * screen reader hears the map's title and each pin's name and place; the same pharmacies, with their
 * coordinates, are listed in the table beside it. A pharmacy outside the mainland is listed, not drawn.
 */
export function PharmacyMap({ pharmacies }: { pharmacies: Pharmacy[] }) {
  const { t } = useI18n();
  const drawn = pharmacies.filter((p) => MAP.inside(p.location.lng, p.location.lat));
  return (
    <figure className="map" data-testid="pharmacy-map">
      <svg viewBox={`0 0 ${MAP.width} ${MAP.height}`} role="img" aria-labelledby="map-title map-caption">
        <title id="map-title">{t('pharmacyMap')}</title>
        <rect width={MAP.width} height={MAP.height} className="sea" />
        <path d={MAP.path(NORTH_ISLAND)} className="land" />
        <path d={MAP.path(SOUTH_ISLAND)} className="land" />
        {drawn.map((p) => {
          const [x, y] = MAP.project(p.location.lng, p.location.lat);
          return (
            <g key={p.id} className={`pin pin-${p.status}`} data-testid="map-pin">
              <title>{`${p.name}, ${p.address.city} (${p.location.lat.toFixed(4)}, ${p.location.lng.toFixed(4)})`}</title>
              <circle cx={x.toFixed(1)} cy={y.toFixed(1)} r="5" />
              {/* East of the middle the name goes to the pin's left, so it stays on the map. */}
              <text
                x={(x > MAP.width / 2 ? x - 7 : x + 7).toFixed(1)}
                y={(y + 4).toFixed(1)}
                textAnchor={x > MAP.width / 2 ? 'end' : 'start'}
                className="pin-label"
              >
                {p.name}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption id="map-caption">{t('pharmacyMapCaption', { drawn: drawn.length, total: pharmacies.length })}</figcaption>
    </figure>
  );
}
