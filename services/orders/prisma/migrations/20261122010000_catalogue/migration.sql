-- The medicine catalogue and prescription templates (H11). pg_trgm comes from 20261122000000_messaging.
-- Search: GiST trigram indexes serve ILIKE '%q%' and KNN ordering (`col <-> q`, `col <->> q`) over the
-- normalized columns; `%` alone skipped a GIN index in our measurements, so GiST it is.

CREATE TABLE "medicines" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "sku" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "herb_name" TEXT NOT NULL,
  "pinyin" TEXT NOT NULL,
  "pinyin_plain" TEXT NOT NULL,
  "pinyin_key" TEXT NOT NULL,
  "pinyin_initials" TEXT NOT NULL,
  "english_name" TEXT NOT NULL,
  "latin_name" TEXT,
  "category" TEXT NOT NULL,
  "unit" TEXT NOT NULL DEFAULT 'g',
  "form" TEXT NOT NULL,
  "granule_ratio" NUMERIC(10,3),
  "price_per_unit" NUMERIC(12,2) NOT NULL,
  "min_daily_dose" NUMERIC(10,3),
  "max_daily_dose" NUMERIC(10,3) NOT NULL,
  "dose_source" TEXT,
  "decoction" TEXT,
  "pregnancy" TEXT NOT NULL DEFAULT 'none',
  "toxicity" TEXT NOT NULL DEFAULT 'none',
  "nz_restricted" BOOLEAN NOT NULL DEFAULT false,
  "restriction_reason" TEXT,
  "status" TEXT NOT NULL DEFAULT 'active',
  "admin_edited_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "medicines_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "medicines_form_check" CHECK ("form" IN ('raw', 'granule')),
  CONSTRAINT "medicines_status_check" CHECK ("status" IN ('active', 'retired')),
  CONSTRAINT "medicines_pregnancy_check" CHECK ("pregnancy" IN ('none', 'caution', 'contraindicated')),
  CONSTRAINT "medicines_toxicity_check" CHECK ("toxicity" IN ('none', 'mild', 'toxic', 'severe')),
  CONSTRAINT "medicines_price_check" CHECK ("price_per_unit" >= 0),
  CONSTRAINT "medicines_dose_check" CHECK ("max_daily_dose" > 0 AND ("min_daily_dose" IS NULL OR "min_daily_dose" <= "max_daily_dose")),
  CONSTRAINT "medicines_granule_ratio_check" CHECK (("form" = 'granule') = ("granule_ratio" IS NOT NULL) AND ("granule_ratio" IS NULL OR "granule_ratio" > 0))
);
CREATE UNIQUE INDEX "medicines_sku_key" ON "medicines"("sku");
CREATE INDEX "medicines_category_idx" ON "medicines"("category");
CREATE INDEX "medicines_pinyin_initials_idx" ON "medicines"("pinyin_initials" text_pattern_ops);
CREATE INDEX "medicines_name_trgm_idx" ON "medicines" USING GIST ("name" gist_trgm_ops);
CREATE INDEX "medicines_sku_trgm_idx" ON "medicines" USING GIST ("sku" gist_trgm_ops);
CREATE INDEX "medicines_pinyin_key_trgm_idx" ON "medicines" USING GIST ("pinyin_key" gist_trgm_ops);
CREATE INDEX "medicines_pinyin_plain_trgm_idx" ON "medicines" USING GIST ("pinyin_plain" gist_trgm_ops);
CREATE INDEX "medicines_english_name_trgm_idx" ON "medicines" USING GIST ("english_name" gist_trgm_ops);
CREATE INDEX "medicines_latin_name_trgm_idx" ON "medicines" USING GIST ("latin_name" gist_trgm_ops);

-- The data/medicines.json version the table holds: an unchanged seed is skipped at start-up.
CREATE TABLE "catalogue_seed" (
  "id" TEXT NOT NULL,
  "hash" TEXT NOT NULL,
  "medicine_count" INTEGER NOT NULL,
  "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "catalogue_seed_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "prescription_templates" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "practitioner_id" UUID NOT NULL,
  "name" TEXT NOT NULL,
  "notes" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "prescription_templates_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "prescription_templates_practitioner_id_updated_at_idx" ON "prescription_templates"("practitioner_id", "updated_at");

CREATE TABLE "prescription_template_items" (
  "template_id" UUID NOT NULL,
  "position" INTEGER NOT NULL,
  "medicine_id" UUID NOT NULL,
  "quantity" NUMERIC(10,3) NOT NULL,
  "dosage_instructions" TEXT,
  CONSTRAINT "prescription_template_items_pkey" PRIMARY KEY ("template_id", "position"),
  CONSTRAINT "prescription_template_items_quantity_check" CHECK ("quantity" > 0),
  CONSTRAINT "prescription_template_items_template_id_fkey" FOREIGN KEY ("template_id")
    REFERENCES "prescription_templates"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  -- Medicines are retired, never deleted: a template keeps pointing at what it was written with.
  CONSTRAINT "prescription_template_items_medicine_id_fkey" FOREIGN KEY ("medicine_id")
    REFERENCES "medicines"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "prescription_template_items_medicine_id_idx" ON "prescription_template_items"("medicine_id");
