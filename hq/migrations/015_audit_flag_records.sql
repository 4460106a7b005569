-- Issue 17 (authorship): a record HQ has held without an author for too long (only other PCs or
-- the hub passed it on; the PC that wrote it never sent it itself) is flagged for the branch's
-- review too (hq/audit-flags.ts). Such a flag names a record (collection, id), not an entry of a
-- device's audit chain: no device, no seq, chain 'record'; one flag per record.
ALTER TABLE audit_flags ALTER COLUMN device_id DROP NOT NULL;
ALTER TABLE audit_flags ALTER COLUMN seq DROP NOT NULL;
ALTER TABLE audit_flags DROP CONSTRAINT audit_flags_chain_check;
ALTER TABLE audit_flags ADD COLUMN collection text;
ALTER TABLE audit_flags ADD COLUMN record_id text;
ALTER TABLE audit_flags ADD CONSTRAINT audit_flags_chain_check CHECK (
  (chain IN ('renderer', 'main') AND device_id IS NOT NULL AND seq IS NOT NULL)
  OR (chain = 'record' AND collection IS NOT NULL AND record_id IS NOT NULL));
CREATE UNIQUE INDEX audit_flags_record ON audit_flags (branch_code, collection, record_id) WHERE chain = 'record';
-- The records stored without an author (few: a writer's own push claims them), found per branch.
CREATE INDEX documents_authorless ON documents (branch_code, received_at) WHERE device_id IS NULL;
