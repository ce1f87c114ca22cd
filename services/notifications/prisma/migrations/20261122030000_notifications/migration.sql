-- Notifications: the recipient directory (a read model of identity's and pharmacy's events), in-app
-- notifications, and the e-mail delivery log that the dispatcher works through.

-- People, from identity.user.* and identity.pharmacy_operator.linked. Events may arrive out of
-- order, so each group of columns remembers the occurredAt of the event that last set it.
CREATE TABLE "recipient_user" (
    "user_id" UUID NOT NULL,
    "email" TEXT,
    "full_name" TEXT,
    "role" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "pharmacy_id" UUID,
    "profile_at" TIMESTAMPTZ(3),
    "status_at" TIMESTAMPTZ(3),
    "pharmacy_linked_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recipient_user_pkey" PRIMARY KEY ("user_id"),
    CONSTRAINT "recipient_user_role_check" CHECK ("role" IN ('practitioner', 'pharmacy_operator', 'admin')),
    CONSTRAINT "recipient_user_status_check" CHECK ("status" IN ('pending', 'approved', 'suspended')),
    CONSTRAINT "recipient_user_locale_check" CHECK ("locale" IN ('en', 'zh'))
);
CREATE INDEX "recipient_user_role_status_idx" ON "recipient_user"("role", "status");
CREATE INDEX "recipient_user_pharmacy_id_idx" ON "recipient_user"("pharmacy_id");

-- Pharmacies, from pharmacy.pharmacy.registered / updated.
CREATE TABLE "recipient_pharmacy" (
    "pharmacy_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "contact_email" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "status" TEXT NOT NULL DEFAULT 'active',
    "source_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recipient_pharmacy_pkey" PRIMARY KEY ("pharmacy_id"),
    CONSTRAINT "recipient_pharmacy_status_check" CHECK ("status" IN ('active', 'suspended')),
    CONSTRAINT "recipient_pharmacy_locale_check" CHECK ("locale" IN ('en', 'zh'))
);

-- In-app notifications. One per (consumed message, user): a redelivered event adds nothing.
CREATE TABLE "notification" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "source_message_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "notification_source_message_id_user_id_key" ON "notification"("source_message_id", "user_id");
CREATE INDEX "notification_user_id_created_at_idx" ON "notification"("user_id", "created_at" DESC);
CREATE INDEX "notification_unread_idx" ON "notification"("user_id") WHERE "read_at" IS NULL;

-- E-mail deliveries: written (rendered) in the consuming transaction, sent by the dispatcher.
-- One per (consumed message, recipient address, channel): an e-mail cannot be unsent.
CREATE TABLE "delivery" (
    "id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "message_type" TEXT NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "recipient_name" TEXT,
    "recipient_user_id" UUID,
    "recipient_pharmacy_id" UUID,
    "template" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body_text" TEXT NOT NULL,
    "body_html" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "provider_message_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "delivery_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "delivery_channel_check" CHECK ("channel" IN ('email')),
    CONSTRAINT "delivery_status_check" CHECK ("status" IN ('pending', 'sent', 'failed')),
    CONSTRAINT "delivery_locale_check" CHECK ("locale" IN ('en', 'zh')),
    CONSTRAINT "delivery_attempts_check" CHECK ("attempts" >= 0)
);
CREATE UNIQUE INDEX "delivery_message_id_recipient_channel_key" ON "delivery"("message_id", "recipient", "channel");
-- The dispatcher's claim: due pending rows, oldest first.
CREATE INDEX "delivery_due_idx" ON "delivery"("next_attempt_at") WHERE "status" = 'pending';
CREATE INDEX "delivery_created_at_idx" ON "delivery"("created_at" DESC);
CREATE INDEX "delivery_recipient_lower_idx" ON "delivery"(lower("recipient"));
