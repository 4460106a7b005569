-- At a branch hub: which ticket each "call next" request called (POST /v1/hub/calls/next with a
-- request id). A PC whose answer was lost on the LAN asks again with the same id and gets the same
-- ticket, so a slow answer never turns into a second ticket called. Kept for a day.
CREATE TABLE hub_call_requests (
  device_id uuid NOT NULL,
  request_id uuid NOT NULL,
  ticket_id text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (device_id, request_id)
);
CREATE INDEX hub_call_requests_at ON hub_call_requests (at);
