-- Orders: prescriptions with their items and history, the payment saga's state, credentials and
-- their signing keys, Idempotency-Keys, and the display names learnt from identity's events.
-- Columns ending in _enc hold AES-256-GCM ciphertext (`kid:iv:tag:data`), never plaintext.

CREATE TABLE "orders" (
    "id" UUID NOT NULL,
    "practitioner_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "patient_info_enc" TEXT NOT NULL,
    "notes_enc" TEXT,
    "packs" INTEGER NOT NULL,
    "total_amount" DECIMAL(12,2) NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'NZD',
    "safety_override" JSONB,
    "payment_attempts" INTEGER NOT NULL DEFAULT 0,
    "payment_deadline_at" TIMESTAMPTZ(3),
    "payment_failure_reason" TEXT,
    "paid_at" TIMESTAMPTZ(3),
    "refund_requested_at" TIMESTAMPTZ(3),
    "platform_order_id" TEXT,
    "credential_kid" TEXT,
    "credential_token" TEXT,
    "verification_code_hash" TEXT,
    "verification_code_salt" TEXT,
    "verification_code_enc" TEXT,
    "credential_issued_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "assigned_pharmacy_id" UUID,
    "payout_amount" DECIMAL(12,2),
    "fulfilled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id"),
    -- The domain owns these rules; the database refuses anything else as a backstop.
    CONSTRAINT "orders_status_check" CHECK ("status" IN ('DRAFT', 'PENDING_PAYMENT', 'PAYMENT_FAILED', 'PAID',
        'PENDING_REVIEW', 'REJECTED', 'FULFILLED', 'CANCELLED', 'EXPIRED')),
    CONSTRAINT "orders_packs_check" CHECK ("packs" >= 1),
    CONSTRAINT "orders_total_amount_check" CHECK ("total_amount" >= 0),
    CONSTRAINT "orders_payout_amount_check" CHECK ("payout_amount" >= 0),
    -- A paid order always carries its credential.
    CONSTRAINT "orders_credential_check" CHECK ("paid_at" IS NULL OR ("platform_order_id" IS NOT NULL
        AND "credential_token" IS NOT NULL AND "expires_at" IS NOT NULL))
);

CREATE UNIQUE INDEX "orders_platform_order_id_key" ON "orders"("platform_order_id");
CREATE INDEX "orders_practitioner_id_created_at_idx" ON "orders"("practitioner_id", "created_at");
CREATE INDEX "orders_assigned_pharmacy_id_created_at_idx" ON "orders"("assigned_pharmacy_id", "created_at");
-- The deadline jobs scan these (PENDING_PAYMENT past payment_deadline_at, PAID past expires_at).
CREATE INDEX "orders_status_payment_deadline_at_idx" ON "orders"("status", "payment_deadline_at");
CREATE INDEX "orders_status_expires_at_idx" ON "orders"("status", "expires_at");

CREATE TABLE "order_items" (
    "order_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "medicine_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "pinyin" TEXT NOT NULL,
    "english_name" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "quantity" DECIMAL(12,3) NOT NULL,
    "unit_price" DECIMAL(12,2) NOT NULL,
    "total_price" DECIMAL(12,2) NOT NULL,
    "processing" TEXT,
    "decoction_method" TEXT,
    "dosage_instructions" TEXT,

    CONSTRAINT "order_items_pkey" PRIMARY KEY ("order_id", "position"),
    CONSTRAINT "order_items_quantity_check" CHECK ("quantity" > 0),
    CONSTRAINT "order_items_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "order_history" (
    "id" BIGSERIAL NOT NULL,
    "order_id" UUID NOT NULL,
    "from_status" TEXT,
    "to_status" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "by" TEXT NOT NULL,
    "reason" TEXT,

    CONSTRAINT "order_history_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "order_history_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX "order_history_order_id_id_idx" ON "order_history"("order_id", "id");

CREATE TABLE "order_idempotency_keys" (
    "practitioner_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "order_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_idempotency_keys_pkey" PRIMARY KEY ("practitioner_id", "key")
);

CREATE INDEX "order_idempotency_keys_created_at_idx" ON "order_idempotency_keys"("created_at");

CREATE TABLE "credential_signing_keys" (
    "kid" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "public_jwk" JSONB NOT NULL,
    "private_key_enc" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credential_signing_keys_pkey" PRIMARY KEY ("kid")
);

CREATE TABLE "order_party_names" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_party_names_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "order_party_names_kind_check" CHECK ("kind" IN ('clinic', 'user'))
);
