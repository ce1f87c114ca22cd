-- PrescriptChain's databases on the docker-compose PostgreSQL (postgis/postgis:15-3.4).
-- Mounted as /docker-entrypoint-initdb.d/20-prescriptchain.sql, so it runs once, when the
-- container initialises an empty data volume, after the image's own 10_postgis.sh.
--
-- One database per service: no service reads another's. Tables come from each service's
-- migrations (the one-shot *-migrate containers run `node tools/migrate.js <svc>`), not from here.
-- The extensions are created here too because on a managed server only an administrator may
-- create them; the migrations repeat them with IF NOT EXISTS.

CREATE DATABASE prescriptchain_identity;
CREATE DATABASE prescriptchain_orders;
CREATE DATABASE prescriptchain_accounts;
CREATE DATABASE prescriptchain_pharmacy;
CREATE DATABASE prescriptchain_notifications;

-- orders: trigram search over the medicine catalogue (Chinese, pinyin, English, Latin names).
\connect prescriptchain_orders
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- pharmacy: geography(Point, 4326) locations and nearest-first search.
\connect prescriptchain_pharmacy
CREATE EXTENSION IF NOT EXISTS postgis;
