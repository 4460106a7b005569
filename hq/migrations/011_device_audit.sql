-- Issue 18, point 7: main's signed audit chain of each PC, its public key, and what HQ flags.
-- The device key (ECDSA P-256 public JWK) is registered on the PC's first upload right after
-- enrolment and never replaced: a chain or a hand-carry file signed by another key is refused.
ALTER TABLE devices ADD COLUMN public_key jsonb;

-- One row per entry of a PC's main chain, checked (links, hash, signature) before it is stored.
CREATE TABLE device_audit (
  device_id    uuid NOT NULL REFERENCES devices (device_id),
  seq          bigint NOT NULL,
  branch_code  text NOT NULL REFERENCES branches (code),
  data         jsonb NOT NULL,
  received_at  timestamptz NOT NULL,
  PRIMARY KEY (device_id, seq)
);

-- Entries that are intact but wrong in what they say (an actor who is not staff of the device's
-- branch), from either chain: stored, and flagged here for the branch's review.
CREATE TABLE audit_flags (
  flag_id      bigserial PRIMARY KEY,
  branch_code  text NOT NULL REFERENCES branches (code),
  device_id    uuid NOT NULL,
  chain        text NOT NULL CHECK (chain IN ('renderer', 'main')),
  seq          bigint NOT NULL,
  reason       text NOT NULL,
  flagged_at   timestamptz NOT NULL,
  UNIQUE (device_id, chain, seq, reason)
);
CREATE INDEX audit_flags_branch ON audit_flags (branch_code, flagged_at);
