-- Documents are ~1–10 KB of JSON, so PostgreSQL compresses nearly every one on write (TOAST).
-- Its default, pglz, was the largest part of PostgreSQL's time in a 10,000-case push; lz4 writes
-- several times faster at a similar size. Only where this server was built with lz4 (Debian's
-- is; embedded PGlite is not, and keeps pglz). Existing rows stay as they are until rewritten.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    EXECUTE 'ALTER TABLE documents ALTER COLUMN data SET COMPRESSION lz4';
    EXECUTE 'ALTER TABLE quarantine ALTER COLUMN data SET COMPRESSION lz4';
  END IF;
END
$$;
