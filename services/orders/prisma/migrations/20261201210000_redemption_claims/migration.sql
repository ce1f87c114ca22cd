-- Redemption claims (api-v1.md "Orders", architecture.md saga step 6): a pharmacy claims a PAID order
-- before dispensing it (DISPENSING); it holds the order until proof is submitted, it releases it, or
-- the hold lapses (DISPENSING_HOLD_HOURS from the claim or the rejection) and the order expires with
-- a refund.
ALTER TABLE "orders" DROP CONSTRAINT "orders_status_check";
ALTER TABLE "orders" ADD CONSTRAINT "orders_status_check" CHECK ("status" IN ('DRAFT', 'PENDING_PAYMENT',
    'PAYMENT_FAILED', 'PAID', 'DISPENSING', 'PENDING_REVIEW', 'REJECTED', 'FULFILLED', 'CANCELLED', 'EXPIRED'));
-- The payout never exceeds what the clinic paid. NOT VALID: enforced for every write from now on,
-- without failing the migration on rows the old protocol let a pharmacy over-declare.
ALTER TABLE "orders" ADD CONSTRAINT "orders_payout_within_total_check"
    CHECK ("payout_amount" IS NULL OR "payout_amount" <= "total_amount") NOT VALID;
ALTER TABLE "orders" ADD COLUMN "claimed_at" TIMESTAMPTZ(3);
ALTER TABLE "orders" ADD COLUMN "hold_expires_at" TIMESTAMPTZ(3);

-- Orders a pharmacy already held under the old protocol (it claimed them with its proof).
UPDATE "orders" o SET "claimed_at" = COALESCE(
    (SELECT min(h."at") FROM "order_history" h WHERE h."order_id" = o."id" AND h."to_status" = 'PENDING_REVIEW'),
    o."updated_at")
  WHERE o."assigned_pharmacy_id" IS NOT NULL;
-- A rejected order used to wait forever for a resubmission: its hold starts now.
UPDATE "orders" SET "hold_expires_at" = now() + interval '72 hours' WHERE "status" = 'REJECTED';

-- The hold-lapse job: DISPENSING or REJECTED orders past their hold.
CREATE INDEX "orders_status_hold_expires_at_idx" ON "orders" ("status", "hold_expires_at");
