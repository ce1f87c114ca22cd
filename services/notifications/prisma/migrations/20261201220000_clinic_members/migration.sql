-- The recipient directory learns which practitioners belong to which clinic (identity's
-- identity.clinic.created owner and identity.clinic.member_added), so a clinic's top-up can be
-- announced to its practitioners.

-- CreateTable
CREATE TABLE "recipient_clinic_member" (
    "clinic_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "recipient_clinic_member_pkey" PRIMARY KEY ("clinic_id", "user_id")
);
