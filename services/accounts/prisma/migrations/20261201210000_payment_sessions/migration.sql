-- Scan-to-pay top-ups (Alipay Face-to-Face, WeChat Pay Native): one payment session per QR code,
-- the audit log of every payment notice and reconciliation outcome, and the embedded sandboxes'
-- own orders and locally generated keys. Money is NUMERIC(12,2); the service works in integer cents.

-- CreateTable
CREATE TABLE "payment_session" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "method" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'NZD',
    "out_trade_no" TEXT NOT NULL,
    "provider_trade_no" TEXT,
    "qr_content" TEXT,
    "status" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "requested_by" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paid_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "refund_status" TEXT,
    "refund_no" TEXT,
    "refund_amount" DECIMAL(12,2),
    "refunded_at" TIMESTAMPTZ(3),
    "next_check_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_session_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_session_amount_check" CHECK ("amount" > 0),
    CONSTRAINT "payment_session_method_check" CHECK ("method" IN ('alipay', 'wechat')),
    CONSTRAINT "payment_session_status_check" CHECK ("status" IN ('pending', 'paid', 'expired', 'cancelled')),
    CONSTRAINT "payment_session_refund_check" CHECK ("refund_status" IS NULL OR "refund_status" IN ('pending', 'refunded')),
    -- A paid session is never refunded; a refund only ever follows a cancelled or expired session.
    CONSTRAINT "payment_session_paid_check" CHECK ("status" <> 'paid' OR ("paid_at" IS NOT NULL AND "refund_status" IS NULL))
);

-- CreateTable
CREATE TABLE "payment_notice" (
    "id" BIGSERIAL NOT NULL,
    "session_id" UUID,
    "method" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "notice_id" TEXT,
    "outcome" TEXT NOT NULL,
    "amount" DECIMAL(12,2),
    "currency" TEXT,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sandbox_qr_order" (
    "out_trade_no" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "trade_no" TEXT NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "notify_url" TEXT,
    "refunded" DECIMAL(12,2) NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paid_at" TIMESTAMPTZ(3),

    CONSTRAINT "sandbox_qr_order_pkey" PRIMARY KEY ("out_trade_no")
);

-- CreateTable
CREATE TABLE "sandbox_provider_key" (
    "name" TEXT NOT NULL,
    "private_key" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sandbox_provider_key_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "payment_session_out_trade_no_key" ON "payment_session"("out_trade_no");
CREATE UNIQUE INDEX "payment_session_requested_by_idempotency_key_key" ON "payment_session"("requested_by", "idempotency_key");
CREATE INDEX "payment_session_status_next_check_at_idx" ON "payment_session"("status", "next_check_at");
CREATE INDEX "payment_session_clinic_id_created_at_idx" ON "payment_session"("clinic_id", "created_at");
CREATE INDEX "payment_notice_session_id_idx" ON "payment_notice"("session_id");

-- AddForeignKey
ALTER TABLE "payment_session" ADD CONSTRAINT "payment_session_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinic_account"("clinic_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The audit log is append-only, like the ledger.
CREATE FUNCTION "payment_notice_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'payment_notice is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER "payment_notice_append_only" BEFORE UPDATE OR DELETE ON "payment_notice"
    FOR EACH ROW EXECUTE FUNCTION "payment_notice_append_only"();
