-- HQ foundation: branches, one-time enrolment codes, devices, replicated documents, quarantine.
-- Codes and tokens are stored only as SHA-256 hex digests.

CREATE TABLE branches (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  config      jsonb NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE enrol_codes (
  code_hash       text PRIMARY KEY,
  branch_code     text NOT NULL REFERENCES branches (code),
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz,
  used_by_device  uuid
);

CREATE TABLE devices (
  device_id    uuid PRIMARY KEY,
  branch_code  text NOT NULL REFERENCES branches (code),
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  enrolled_at  timestamptz NOT NULL,
  revoked_at   timestamptz
);
CREATE INDEX devices_branch ON devices (branch_code);

-- The only order of replicated documents: devices' clocks never order anything.
CREATE SEQUENCE documents_seq AS bigint;

CREATE TABLE documents (
  collection   text NOT NULL,
  id           text NOT NULL,
  branch_code  text NOT NULL REFERENCES branches (code),
  server_seq   bigint NOT NULL UNIQUE,
  deleted      boolean NOT NULL DEFAULT false,
  data         jsonb NOT NULL,
  received_at  timestamptz NOT NULL,
  device_id    uuid, -- null when HQ itself wrote it (admin CLI: staff, config)
  PRIMARY KEY (collection, id)
);
CREATE INDEX documents_pull ON documents (collection, branch_code, server_seq, id);
-- Transfers are also pulled by the branch they are addressed to.
CREATE INDEX documents_transfers_to ON documents ((data ->> 'toBranch'), server_seq, id) WHERE collection = 'transfers';

-- Refused pushes land here with the reason; never silently dropped. A retried identical push bumps attempts.
CREATE TABLE quarantine (
  qid               bigserial PRIMARY KEY,
  collection        text NOT NULL,
  id                text NOT NULL,
  branch_code       text NOT NULL, -- the pushing device's branch: its head sees the record
  device_id         uuid NOT NULL,
  reason            text NOT NULL,
  data              jsonb NOT NULL,
  data_hash         text NOT NULL,
  received_at       timestamptz NOT NULL,
  last_received_at  timestamptz NOT NULL,
  attempts          integer NOT NULL DEFAULT 1,
  UNIQUE (collection, id, device_id, data_hash)
);
CREATE INDEX quarantine_branch ON quarantine (branch_code, received_at);
