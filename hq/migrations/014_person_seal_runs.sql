-- Issue 18 pt 8: HQ re-seals stored person fields (hq/person-crypto.ts) when they are clear, under
-- a retired key, or newly sealed by a newer HQ. One row here says a complete re-seal finished under
-- this current key for this layout (what is sealed where): a start that finds it scans nothing,
-- so a national database is not read whole at every start.
CREATE TABLE person_seal_runs (
  key_id       text NOT NULL,
  layout       text NOT NULL,
  finished_at  timestamptz NOT NULL,
  resealed     bigint NOT NULL,
  PRIMARY KEY (key_id, layout)
);
