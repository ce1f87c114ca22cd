-- Accounts: clinic accounts (prepaid balance + credit line), the append-only ledger, top-ups and
-- their webhook events, Idempotency-Key records, pharmacy settlements, the sandbox payment provider.
-- Money is NUMERIC(12,2); the service works in integer cents. The domain owns the rules; the CHECKs
-- below refuse anything else as a backstop, whatever the concurrency.

-- CreateTable
CREATE TABLE "clinic_account" (
    "clinic_id" UUID NOT NULL,
    "balance" DECIMAL(12,2) NOT NULL DEFAULT 0,
    "credit_limit" DECIMAL(12,2) NOT NULL DEFAULT 0,
    "used_credit" DECIMAL(12,2) NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "clinic_account_pkey" PRIMARY KEY ("clinic_id"),
    CONSTRAINT "clinic_account_balance_check" CHECK ("balance" >= 0),
    CONSTRAINT "clinic_account_credit_check" CHECK ("used_credit" >= 0 AND "credit_limit" >= 0 AND "used_credit" <= "credit_limit"),
    CONSTRAINT "clinic_account_status_check" CHECK ("status" IN ('active', 'suspended'))
);

-- CreateTable
CREATE TABLE "ledger_entry" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "clinic_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "balance_after" DECIMAL(12,2) NOT NULL,
    "used_credit_after" DECIMAL(12,2) NOT NULL,
    "order_id" UUID,
    "reference" TEXT,
    "actor_id" UUID,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ledger_entry_after_check" CHECK ("balance_after" >= 0 AND "used_credit_after" >= 0),
    CONSTRAINT "ledger_entry_type_check" CHECK (
        ("type" = 'debit' AND "amount" < 0 AND "order_id" IS NOT NULL)
     OR ("type" = 'refund' AND "amount" >= 0 AND "order_id" IS NOT NULL)
     OR ("type" = 'topup' AND "amount" > 0 AND "reference" IS NOT NULL)
     OR ("type" = 'adjustment' AND "amount" <> 0 AND "actor_id" IS NOT NULL AND "reason" IS NOT NULL)
    )
);

-- CreateTable
CREATE TABLE "top_up" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'NZD',
    "status" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "payment_intent_id" TEXT,
    "requested_by" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "top_up_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "top_up_amount_check" CHECK ("amount" > 0),
    CONSTRAINT "top_up_status_check" CHECK ("status" IN ('creating', 'pending', 'succeeded', 'failed'))
);

-- CreateTable
CREATE TABLE "payment_webhook_event" (
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payment_intent_id" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_webhook_event_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "idempotency_record" (
    "scope" TEXT NOT NULL,
    "actor_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("scope", "actor_id", "key")
);

-- CreateTable
CREATE TABLE "settlement" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "pharmacy_id" UUID NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'NZD',
    "status" TEXT NOT NULL DEFAULT 'pending_payment',
    "reference" TEXT,
    "paid_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paid_at" TIMESTAMPTZ(3),

    CONSTRAINT "settlement_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "settlement_amount_check" CHECK ("amount" >= 0),
    CONSTRAINT "settlement_status_check" CHECK (
        ("status" = 'pending_payment' AND "paid_at" IS NULL)
     OR ("status" = 'paid' AND "paid_at" IS NOT NULL AND "paid_by" IS NOT NULL)
    )
);

-- CreateTable
CREATE TABLE "sandbox_payment_intent" (
    "id" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "currency" TEXT NOT NULL,
    "metadata" JSONB NOT NULL,
    "client_secret" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(3),

    CONSTRAINT "sandbox_payment_intent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entry_seq_key" ON "ledger_entry"("seq");
CREATE INDEX "ledger_entry_clinic_id_seq_idx" ON "ledger_entry"("clinic_id", "seq");
-- The business keys behind the inbox: one debit and one refund per order, ever; a PaymentIntent
-- credits one top-up entry.
CREATE UNIQUE INDEX "ledger_entry_debit_order_key" ON "ledger_entry"("order_id") WHERE "type" = 'debit';
CREATE UNIQUE INDEX "ledger_entry_refund_order_key" ON "ledger_entry"("order_id") WHERE "type" = 'refund';
CREATE UNIQUE INDEX "ledger_entry_topup_reference_key" ON "ledger_entry"("reference") WHERE "type" = 'topup';

CREATE UNIQUE INDEX "top_up_payment_intent_id_key" ON "top_up"("payment_intent_id");
CREATE UNIQUE INDEX "top_up_requested_by_idempotency_key_key" ON "top_up"("requested_by", "idempotency_key");

CREATE UNIQUE INDEX "settlement_order_id_key" ON "settlement"("order_id");
CREATE INDEX "settlement_pharmacy_id_created_at_idx" ON "settlement"("pharmacy_id", "created_at");
CREATE INDEX "settlement_status_created_at_idx" ON "settlement"("status", "created_at");

CREATE UNIQUE INDEX "sandbox_payment_intent_idempotency_key_key" ON "sandbox_payment_intent"("idempotency_key");

-- AddForeignKey
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinic_account"("clinic_id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "top_up" ADD CONSTRAINT "top_up_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinic_account"("clinic_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The ledger is the audit trail of money: nothing may rewrite or remove an entry.
CREATE FUNCTION "ledger_entry_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER "ledger_entry_append_only" BEFORE UPDATE OR DELETE ON "ledger_entry"
    FOR EACH ROW EXECUTE FUNCTION "ledger_entry_append_only"();
