-- Redemption claims (api-v1.md "Pharmacies"): the read model knows who holds each order, the payout
-- fixed at the claim and when the hold lapses (from orders.order.dispensing / released / rejected),
-- so `GET /pharmacies/:id/claims` and the scan's `claimedBy` answer from it.
ALTER TABLE "order_view" ADD COLUMN "payout" NUMERIC(12,2) CHECK ("payout" >= 0);
ALTER TABLE "order_view" ADD COLUMN "claimed_at" TIMESTAMPTZ(3);
ALTER TABLE "order_view" ADD COLUMN "hold_expires_at" TIMESTAMPTZ(3);
CREATE INDEX "order_view_assigned_pharmacy_id_status_idx" ON "order_view"("assigned_pharmacy_id", "status");

-- A file backs one proof only. A link that no longer holds its file is `freed`: a proof orders
-- refused (its files may back another), or a second link the old protocol allowed (kept for the
-- record). Every other link is unique per file.
ALTER TABLE "proof_file" ADD COLUMN "freed" BOOLEAN NOT NULL DEFAULT false;
UPDATE "proof_file" SET "freed" = true
  WHERE "proof_id" IN (SELECT "id" FROM "fulfillment_proof" WHERE "status" = 'failed');
UPDATE "proof_file" f SET "freed" = true
  WHERE NOT f."freed"
    AND EXISTS (SELECT 1 FROM "proof_file" g JOIN "fulfillment_proof" p ON p."id" = g."proof_id"
                  JOIN "fulfillment_proof" q ON q."id" = f."proof_id"
                 WHERE NOT g."freed" AND g."file_id" = f."file_id"
                   AND (p."created_at", p."id") < (q."created_at", q."id"));
CREATE UNIQUE INDEX "proof_file_file_id_key" ON "proof_file"("file_id") WHERE NOT "freed";
