import { pinyinKey, stripTones } from '../../../domain/catalogue/pinyin';
import { type Medicine, Prisma } from '../../../generated/prisma/client';
import type { MedicineFilter } from '../../../application/ports/medicine-repository';

/**
 * The database half of the medicine search: which rows MAY match a query. H6's scoreMatch (in
 * SearchMedicinesHandler) then decides which do and in what order, so this only has to be a cheap
 * superset of them. One statement, two kinds of branch:
 *
 * - direct: Chinese substring of name/herb_name; SKU prefix; pinyin key substring (tones, spaces,
 *   apostrophes and ü/v/u folded away on both sides); English/Latin substring (ILIKE); pinyin
 *   initials prefix (`dg` → 当归). The GiST trigram indexes serve the substring LIKEs of 3+ characters;
 *   GIN indexes of each name's characters serve Chinese of any length.
 * - fuzzy, for typos, and only when nothing matches directly: the nearest rows by trigram word
 *   distance (`col <->> q` = 1 − word_similarity, a KNN scan of the same GiST indexes) over the pinyin
 *   key, the spaced plain pinyin, English and Latin — at most FUZZY_NEIGHBOURS per column, none with a
 *   word similarity under the database's threshold (0.15). The floor is low on purpose: a one-letter typo in a
 *   short word leaves few shared trigrams (every single-typo spelling of a catalogue name we tried
 *   kept a word similarity ≥ 0.2), and scoreMatch drops whatever is not within its edit distance.
 *
 * Typos as a fallback: scoreMatch ranks every typo below every exact/prefix/substring/initials
 * match, so when a direct match exists the typo candidates could only add a noisy tail (`dang gui`
 * would list 冬瓜皮 as a typo) — and scoring them is the costly part of scoreMatch.
 *
 * Retired medicines and other categories are filtered inside every branch, so a filter never
 * starves the neighbour lists.
 */

const HAN = /[\u3400-\u9fff]/;
const FUZZY_NEIGHBOURS = 40;
/** A guard for huge catalogues; ours (hundreds of rows) never reaches it. */
const MAX_CANDIDATES = 2000;

export interface SearchTerms {
  /** Chinese characters without spaces. */
  han: string;
  /** Upper case, spaces as hyphens: `raw danggui` → `RAW-DANGGUI`. */
  sku: string;
  /** pinyinKey(q): `dāng guī` → `danggui`. */
  key: string;
  /** Tone-less words: `dāng guī` → `dang gui`. */
  plain: string;
  /** Lower-case ASCII words for English/Latin. */
  text: string;
  /** The query itself when it could be pinyin initials (2–8 letters). */
  initials: string;
}

export function searchTerms(query: string): SearchTerms {
  const q = query.trim();
  if (HAN.test(q)) return { han: q.replace(/\s+/g, ''), sku: '', key: '', plain: '', text: '', initials: '' };
  return {
    han: '',
    sku: q
      .toUpperCase()
      .replace(/\s+/g, '-')
      .replace(/[^A-Z0-9-]/g, ''),
    key: pinyinKey(q),
    plain: stripTones(q)
      .replace(/[^a-z]+/g, ' ')
      .trim(),
    text: q
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim(),
    initials: /^[a-z]{2,8}$/i.test(q) ? q.toLowerCase() : '',
  };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');
const contains = (s: string) => `%${escapeLike(s)}%`;
const prefix = (s: string) => `${escapeLike(s)}%`;

type Raw = { $queryRaw<T>(query: Prisma.Sql): Promise<T> };

/** A medicines row as the candidate query returns it: Prisma field names, decimals as exact text. */
export type CandidateRow = Omit<
  Medicine,
  'granuleRatio' | 'pricePerUnit' | 'minDailyDose' | 'maxDailyDose'
> & {
  granuleRatio: string | null;
  pricePerUnit: string;
  minDailyDose: string | null;
  maxDailyDose: string;
};

const CANDIDATE_COLUMNS = Prisma.sql`m.id::text AS "id", m.sku, m.name, m.herb_name AS "herbName", m.pinyin,
  m.pinyin_plain AS "pinyinPlain", m.pinyin_key AS "pinyinKey", m.pinyin_initials AS "pinyinInitials",
  m.english_name AS "englishName", m.latin_name AS "latinName", m.category, m.unit, m.form,
  m.granule_ratio::text AS "granuleRatio", m.price_per_unit::text AS "pricePerUnit",
  m.min_daily_dose::text AS "minDailyDose", m.max_daily_dose::text AS "maxDailyDose", m.dose_source AS "doseSource",
  m.decoction, m.pregnancy, m.toxicity, m.nz_restricted AS "nzRestricted", m.restriction_reason AS "restrictionReason",
  m.status, m.admin_edited_at AS "adminEditedAt", m.created_at AS "createdAt", m.updated_at AS "updatedAt"`;

/** The candidate rows for `query`, in one round trip. */
export async function searchCandidates(
  db: Raw,
  query: string,
  filter: MedicineFilter,
): Promise<CandidateRow[]> {
  const t = searchTerms(query);
  const category = filter.category ?? null;
  const visible = Prisma.sql`(${filter.includeRetired}::boolean OR status = 'active') AND (${category}::text IS NULL OR category = ${category}::text)`;

  const direct: Prisma.Sql[] = [];
  if (t.han) {
    // Served by the GIN indexes of each name's characters (a query of 1–2 characters has no
    // trigram); strpos, not LIKE, so the planner does not also scan the trigram indexes for it.
    const hasChars = (column: string) =>
      Prisma.sql`(regexp_split_to_array(${Prisma.raw(column)}, '') @> regexp_split_to_array(${t.han}::text, '')
        AND strpos(${Prisma.raw(column)}, ${t.han}::text) > 0)`;
    direct.push(Prisma.sql`${hasChars('name')} OR ${hasChars('herb_name')}`);
  }
  if (t.sku.length >= 2) direct.push(Prisma.sql`sku LIKE ${prefix(t.sku)}`);
  if (t.key) direct.push(Prisma.sql`pinyin_key LIKE ${contains(t.key)}`);
  if (t.text)
    direct.push(Prisma.sql`english_name ILIKE ${contains(t.text)} OR latin_name ILIKE ${contains(t.text)}`);
  if (t.initials) direct.push(Prisma.sql`pinyin_initials LIKE ${prefix(t.initials)}`);

  const fuzzy: Prisma.Sql[] = [];
  const nearest = (column: string, term: string) =>
    // `%>` (word similarity ≥ the database's pg_trgm.word_similarity_threshold, 0.15 — set by the
    // search_indexes migration) is an index condition; a bound on the `<->>` distance was not, and
    // scanned every row when nothing was close.
    Prisma.sql`(SELECT id FROM medicines WHERE ${visible} AND ${Prisma.raw(column)} %> ${term}
      ORDER BY ${Prisma.raw(column)} <->> ${term} LIMIT ${FUZZY_NEIGHBOURS})`;
  if (t.key.length >= 3) fuzzy.push(nearest('pinyin_key', t.key));
  if (t.plain.length >= 3) fuzzy.push(nearest('pinyin_plain', t.plain));
  if (t.text.length >= 3) fuzzy.push(nearest('english_name', t.text), nearest('latin_name', t.text));
  if (!direct.length && !fuzzy.length) return [];

  const directIds = direct.length
    ? Prisma.sql`SELECT id FROM medicines WHERE ${visible} AND (${Prisma.join(direct, ' OR ')})`
    : Prisma.sql`SELECT NULL::uuid AS id WHERE false`;
  // NOT EXISTS is uncorrelated: PostgreSQL evaluates it once and skips the KNN scans when it fails.
  const fuzzyIds = fuzzy.length
    ? Prisma.sql`UNION SELECT id FROM (${Prisma.join(fuzzy, ' UNION ')}) AS near WHERE NOT EXISTS (SELECT 1 FROM direct)`
    : Prisma.empty;
  return db.$queryRaw<CandidateRow[]>(Prisma.sql`
    WITH direct AS (${directIds})
    SELECT ${CANDIDATE_COLUMNS} FROM medicines m
    WHERE m.id IN (SELECT id FROM direct ${fuzzyIds} LIMIT ${MAX_CANDIDATES})`);
}

/**
 * The rows and the watermark of one read for the in-memory index. The watermark is the xmin of the
 * statement's own snapshot: every transaction below it had finished when the rows were read, so
 * whatever one at or above it writes carries a change_xid (the writer's transaction id, set by the
 * medicines_change_xid trigger) ≥ the watermark and is found by the next `change_xid >= watermark`.
 */
type WatermarkedRow = Partial<CandidateRow> & { watermark: string };

function split(rows: WatermarkedRow[]): { rows: CandidateRow[]; watermark: string } {
  return {
    rows: rows.filter((r) => r.id !== null && r.id !== undefined) as CandidateRow[],
    watermark: rows[0].watermark,
  };
}

/** Up to `limit` medicines after `afterId` (by id, retired ones too), for the index's build. */
export async function catalogueBatch(db: Raw, afterId: string | null, limit: number) {
  return split(
    await db.$queryRaw<WatermarkedRow[]>(Prisma.sql`
      SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS "watermark", ${CANDIDATE_COLUMNS}
      FROM (SELECT 1) AS one LEFT JOIN LATERAL (
        SELECT * FROM medicines WHERE ${afterId}::uuid IS NULL OR id > ${afterId}::uuid ORDER BY id LIMIT ${limit}
      ) m ON true
      ORDER BY m.id`),
  );
}

/** The medicines written by transactions at or after `watermark` (served by medicines_change_xid_idx). */
export async function catalogueChangedSince(db: Raw, watermark: string) {
  return split(
    await db.$queryRaw<WatermarkedRow[]>(Prisma.sql`
      SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS "watermark", ${CANDIDATE_COLUMNS}
      FROM (SELECT 1) AS one LEFT JOIN medicines m ON m.change_xid >= ${watermark}::bigint`),
  );
}
