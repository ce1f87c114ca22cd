-- The in-memory catalogue search index of each orders replica re-reads what changed since its last
-- read: every medicines row carries the id of the transaction that last wrote it, and a reader keeps
-- as its watermark the xmin of its read's snapshot (every transaction below it had finished), so
-- `change_xid >= watermark` finds every later write however transactions interleave — unlike
-- updated_at, which is the writer's clock and is stamped before the writer commits.
ALTER TABLE "medicines" ADD COLUMN "change_xid" BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint);

CREATE FUNCTION "medicines_set_change_xid"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_xid := pg_current_xact_id()::text::bigint;
  RETURN NEW;
END
$$;

CREATE TRIGGER "medicines_change_xid" BEFORE INSERT OR UPDATE ON "medicines"
  FOR EACH ROW EXECUTE FUNCTION "medicines_set_change_xid"();

CREATE INDEX "medicines_change_xid_idx" ON "medicines" ("change_xid");
