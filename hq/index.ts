// HQ sync service: arrives with the HQ sync issue (replication endpoints, enrolment, branch isolation).
export {};
