-- At HQ: where the branch's hub listens on the LAN and the SHA-256 fingerprint of its certificate,
-- as the hub announced them (PUT /v1/hub/announce): the branch's PCs read them in GET /v1/branch
-- and pin the fingerprint. Cleared when the hub role moves to another device.
ALTER TABLE branches ADD COLUMN hub_fingerprint text;
ALTER TABLE branches ADD COLUMN hub_addresses jsonb;
