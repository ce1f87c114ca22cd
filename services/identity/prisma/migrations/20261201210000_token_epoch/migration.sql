-- A per-user token epoch: every access token carries the epoch it was issued under (claim `tep`);
-- a password change increments it, so tokens issued before the change are refused at once.
ALTER TABLE "user_account"
  ADD COLUMN "token_epoch" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "password_changed_at" TIMESTAMPTZ(3);
