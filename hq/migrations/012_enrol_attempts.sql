-- Issue 20 pt 2: the enrolment rate limit per client address is kept in the database, so every HQ
-- process behind one address counts the same attempts (it was each process's own memory, so N
-- processes let N times as many guesses through). One fixed window per address.
CREATE TABLE enrol_attempts (
  address      text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  attempts     integer NOT NULL
);
CREATE INDEX enrol_attempts_window ON enrol_attempts (window_start);
