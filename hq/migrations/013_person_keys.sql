-- Issue 18 pt 8: HQ seals person fields with keys kept outside the database (hq/person-crypto.ts).
-- The database keeps, per key id it has seen, a value sealed with that key: at start HQ opens each
-- one with its key file, so a missing or wrong key file stops HQ instead of leaving rows it cannot
-- read (or writing in clear). The keys themselves are never stored here.
CREATE TABLE person_keys (
  key_id      text PRIMARY KEY,
  check_value text NOT NULL,
  added_at    timestamptz NOT NULL DEFAULT now()
);
