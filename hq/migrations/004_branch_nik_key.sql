-- The key of the NIK's keyed hash, one per branch, handed to each device at enrolment, so every PC
-- of a branch hashes a NIK the same way (lookups across the branch's PCs). Created on first
-- enrolment of the branch (HQ's own random source), never changed afterwards.
ALTER TABLE branches ADD COLUMN nik_key text;
