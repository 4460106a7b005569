-- HQ's Ed25519 key that signs each branch's roster (GET /v1/hub/roster): the branch's PCs keep the
-- latest signed roster, and a hub started while HQ is unreachable admits only the devices it lists
-- after checking this signature. Made on first use (HQ's own random source), never changed. Unused
-- in a hub's own database.
CREATE TABLE hq_signing_keys (
  purpose text PRIMARY KEY,
  private_key text NOT NULL,
  public_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
