-- Transfers are looked up by their case: a case pushed after its transfer tells the receiving
-- branch, and the receiving branch's case pull includes the cases transferred to it.
CREATE INDEX documents_transfers_case ON documents ((data ->> 'caseId')) WHERE collection = 'transfers';
