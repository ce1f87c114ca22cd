-- pg_trgm: fuzzy catalogue search (GiST index, ORDER BY name <-> q).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Transactional outbox and inbox (libs/messaging), identical in every service database.
CREATE TABLE "outbox_message" (
  "id" BIGSERIAL PRIMARY KEY,
  "message_id" UUID NOT NULL,
  "exchange" TEXT NOT NULL,
  "routing_key" TEXT NOT NULL,
  "type" TEXT NOT NULL,
  "envelope" JSONB NOT NULL,
  "traceparent" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "last_error" TEXT,
  "sent_at" TIMESTAMPTZ(3)
);
CREATE UNIQUE INDEX "outbox_message_message_id_key" ON "outbox_message"("message_id");
CREATE INDEX "outbox_message_unsent_idx" ON "outbox_message"("id") WHERE "sent_at" IS NULL;

CREATE TABLE "inbox_message" (
  "consumer" TEXT NOT NULL,
  "message_id" UUID NOT NULL,
  "type" TEXT NOT NULL,
  "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "inbox_message_pkey" PRIMARY KEY ("consumer", "message_id")
);
CREATE INDEX "inbox_message_received_at_idx" ON "inbox_message"("received_at");
