-- Each pushed audit entry is checked against the last entry HQ holds for its device; without this
-- index that lookup scans every audit row of the branch.
CREATE INDEX documents_audit_chain_idx
  ON documents (branch_code, (data ->> 'deviceId'), ((data ->> 'seq')::bigint) DESC)
  WHERE collection = 'audit';
