-- The branch hub (issue 17). One schema for HQ and hubs (hq/ in branch mode): at HQ only
-- branches.hub_device_id is used; at a hub only the hub_* tables.

-- At HQ: the enrolled device of the branch that the head made its hub. Only that device may read
-- the branch's device list and relay records of the branch's devices.
ALTER TABLE branches ADD COLUMN hub_device_id uuid;

-- At a hub: its cursors and small state (pull checkpoints from HQ, the relay position).
CREATE TABLE hub_state (
  key    text PRIMARY KEY,
  value  jsonb NOT NULL
);

-- At a hub: each document as HQ holds it, as far as the hub knows (from its pulls and from HQ's
-- answers to its relays): the assumed master of the next relay of that document.
CREATE TABLE hub_upstream (
  collection   text NOT NULL,
  branch_code  text NOT NULL,
  id           text NOT NULL,
  deleted      boolean NOT NULL,
  data         jsonb NOT NULL,
  PRIMARY KEY (collection, branch_code, id)
);

-- At a hub: a relayed version HQ answered with a conflict (HQ's version replaced it at the hub:
-- the hub never wins); kept so nothing written on a PC is lost.
CREATE TABLE hub_conflicts (
  cid          bigserial PRIMARY KEY,
  collection   text NOT NULL,
  branch_code  text NOT NULL,
  id           text NOT NULL,
  device_id    uuid,
  data         jsonb NOT NULL,
  hq_data      jsonb NOT NULL,
  at           timestamptz NOT NULL
);
