-- Pharmacies, declared inventory, the orders read model used for scanning, scans, files and proofs.
-- PostGIS was created by the messaging migration.

CREATE TABLE "pharmacy" (
  "id" UUID PRIMARY KEY,
  "name" TEXT NOT NULL,
  "street" TEXT NOT NULL,
  "city" TEXT NOT NULL,
  "country" TEXT NOT NULL,
  "postal_code" TEXT NOT NULL,
  "location" geography(Point, 4326) NOT NULL,
  "contact_email" TEXT NOT NULL,
  "contact_phone" TEXT,
  "license_info" TEXT,
  "service_hours" JSONB NOT NULL DEFAULT '{}',
  "locale" TEXT NOT NULL DEFAULT 'en' CHECK ("locale" IN ('en', 'zh')),
  "status" TEXT NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'suspended')),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- Nearest-first search: ST_DWithin and ORDER BY location <-> point both use it.
CREATE INDEX "pharmacy_location_gist" ON "pharmacy" USING GIST ("location");
CREATE INDEX "pharmacy_status_idx" ON "pharmacy"("status");

CREATE TABLE "pharmacy_operator" (
  "user_id" UUID PRIMARY KEY,
  "pharmacy_id" UUID NOT NULL,
  "linked_by" UUID NOT NULL,
  "linked_at" TIMESTAMPTZ(3) NOT NULL
);
CREATE INDEX "pharmacy_operator_pharmacy_id_idx" ON "pharmacy_operator"("pharmacy_id");

CREATE TABLE "inventory_item" (
  "pharmacy_id" UUID NOT NULL REFERENCES "pharmacy"("id") ON DELETE CASCADE,
  "medicine_id" UUID NOT NULL,
  "wholesale_price" NUMERIC(12,2) NOT NULL CHECK ("wholesale_price" >= 0),
  "available" BOOLEAN NOT NULL,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "inventory_item_pkey" PRIMARY KEY ("pharmacy_id", "medicine_id")
);
CREATE INDEX "inventory_item_medicine_id_idx" ON "inventory_item"("medicine_id");

CREATE TABLE "order_view" (
  "order_id" UUID PRIMARY KEY,
  "platform_order_id" TEXT,
  "status" TEXT NOT NULL,
  "status_at" TIMESTAMPTZ(3) NOT NULL,
  "items" JSONB NOT NULL DEFAULT '[]',
  "patient_name_enc" TEXT,
  "expires_at" TIMESTAMPTZ(3),
  "assigned_pharmacy_id" UUID,
  "verification_code_hash" TEXT,
  "credential_kid" TEXT,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "order_view_platform_order_id_key" ON "order_view"("platform_order_id");

CREATE TABLE "credential_key" (
  "kid" TEXT PRIMARY KEY,
  "jwk" JSONB NOT NULL,
  "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "scan_log" (
  "id" UUID PRIMARY KEY,
  "pharmacy_id" UUID NOT NULL,
  "operator_id" UUID NOT NULL,
  "order_id" UUID,
  "method" TEXT NOT NULL CHECK ("method" IN ('qr', 'code')),
  "outcome" TEXT NOT NULL CHECK ("outcome" IN ('verified', 'invalid_credential', 'locked', 'rate_limited')),
  "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "scan_log_pharmacy_id_at_idx" ON "scan_log"("pharmacy_id", "at");
CREATE INDEX "scan_log_order_id_at_idx" ON "scan_log"("order_id", "at");

CREATE TABLE "stored_file" (
  "id" UUID PRIMARY KEY,
  "pharmacy_id" UUID NOT NULL,
  "uploader_id" UUID NOT NULL,
  "file_name" TEXT NOT NULL,
  "content_type" TEXT NOT NULL CHECK ("content_type" IN ('image/jpeg', 'image/png', 'application/pdf')),
  "declared_size" INTEGER NOT NULL CHECK ("declared_size" > 0),
  "size" INTEGER,
  "sha256" TEXT,
  "storage_key" TEXT NOT NULL,
  "purpose" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'confirmed')),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "confirmed_at" TIMESTAMPTZ(3)
);
CREATE INDEX "stored_file_pharmacy_id_idx" ON "stored_file"("pharmacy_id");

CREATE TABLE "fulfillment_proof" (
  "id" UUID PRIMARY KEY,
  "order_id" UUID NOT NULL,
  "pharmacy_id" UUID NOT NULL,
  "submitted_by" UUID NOT NULL,
  "status" TEXT NOT NULL CHECK ("status" IN ('claiming', 'pending', 'failed', 'approved', 'rejected')),
  "payout" NUMERIC(12,2) NOT NULL CHECK ("payout" >= 0),
  "notes" TEXT,
  "claim_attempts" INTEGER NOT NULL DEFAULT 0,
  "last_claim_error" TEXT,
  "reviewer_id" UUID,
  "review_comments" TEXT,
  "reviewed_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "fulfillment_proof_status_created_at_idx" ON "fulfillment_proof"("status", "created_at");
CREATE INDEX "fulfillment_proof_order_id_idx" ON "fulfillment_proof"("order_id");
-- One live claim per order, whoever makes it: a second submission loses here before asking orders.
CREATE UNIQUE INDEX "fulfillment_proof_one_live_per_order" ON "fulfillment_proof"("order_id")
  WHERE "status" IN ('claiming', 'pending', 'approved');

CREATE TABLE "proof_file" (
  "proof_id" UUID NOT NULL REFERENCES "fulfillment_proof"("id") ON DELETE CASCADE,
  "file_id" UUID NOT NULL REFERENCES "stored_file"("id"),
  "position" INTEGER NOT NULL,
  CONSTRAINT "proof_file_pkey" PRIMARY KEY ("proof_id", "file_id")
);
