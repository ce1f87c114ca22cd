-- Active pharmacies within a radius of a point, nearest first (the GiST index on "location" serves
-- both ST_DWithin and the KNN ORDER BY). Shared by the repository and tools/bench/nearby.bench.js.
--   $1 latitude, $2 longitude, $3 radius in metres, $4 limit,
--   $5 requested medicine ids, comma-separated ('' = none)
WITH center AS (
  SELECT ST_SetSRID(ST_MakePoint($2::float8, $1::float8), 4326)::geography AS g
), wanted AS (
  SELECT DISTINCT unnest(string_to_array(NULLIF($5::text, ''), ','))::uuid AS medicine_id
)
SELECT p.id, p.name, p.street, p.city, p.country, p.postal_code, p.service_hours,
       ST_Y(p.location::geometry) AS lat,
       ST_X(p.location::geometry) AS lng,
       ST_Distance(p.location, center.g) AS distance_m,
       (SELECT count(*)::int
          FROM inventory_item i JOIN wanted w ON w.medicine_id = i.medicine_id
         WHERE i.pharmacy_id = p.id AND i.available) AS supplied
  FROM pharmacy p, center
 WHERE p.status = 'active' AND ST_DWithin(p.location, center.g, $3::float8)
 ORDER BY p.location <-> center.g
 LIMIT $4::int
