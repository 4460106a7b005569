-- Ids belong to a branch: a document is (collection, branch, id), so a device of one branch can
-- neither take another branch's ids (tickets are `branch:day:number`, predictable) nor learn
-- whether an id is in use there. Pulls are per branch already (documents_pull).
ALTER TABLE documents DROP CONSTRAINT documents_pkey;
ALTER TABLE documents ADD PRIMARY KEY (collection, branch_code, id);

-- The size of each stored document's JSON text, so a pull can stop at a byte budget without
-- reading the documents it will not send.
ALTER TABLE documents ADD COLUMN data_bytes integer;
UPDATE documents SET data_bytes = octet_length(data::text);
ALTER TABLE documents ALTER COLUMN data_bytes SET NOT NULL;

-- HQ's own rules for each branch (what DOMAIN.md marks *(config)*), versioned by the day they take
-- effect: a case is judged by the rules of the day it was opened, never by the rules it brings.
-- `config` holds only what differs from the shared defaults and the branch's published hours.
CREATE TABLE branch_rules (
  branch_code     text NOT NULL REFERENCES branches (code),
  effective_from  date NOT NULL,
  config          jsonb NOT NULL,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (branch_code, effective_from)
);
