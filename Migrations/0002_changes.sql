-- The read -> change -> approve -> deploy workflow, and the three
-- distribution models.
--
-- Each container's placements follow from its claims: a balloon (every node
-- down to a depth), fog targets (each claims its path to the root) and
-- micromanagement nodes (each claims itself). A node holds the container while
-- at least one claim covers it. Registering a container gives it a balloon of
-- depth 0, which is the root alone.

-- Operator settings: one row.
CREATE TABLE settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- 1 when a change must be approved by someone other than its author.
    require_distinct_approver INTEGER NOT NULL DEFAULT 0 CHECK (require_distinct_approver IN (0, 1))
) STRICT;

INSERT INTO settings (id) VALUES (1);

-- A container's balloon: every node of depth 0 to depth.
CREATE TABLE balloon_claims (
    container_id INTEGER PRIMARY KEY REFERENCES containers (id),
    depth INTEGER NOT NULL CHECK (depth >= 0)
) STRICT;

-- A container's fog targets: each claims itself and every node on its path to the root.
CREATE TABLE fog_claims (
    container_id INTEGER NOT NULL REFERENCES containers (id),
    node_id INTEGER NOT NULL REFERENCES nodes (id),
    PRIMARY KEY (container_id, node_id)
) STRICT, WITHOUT ROWID;

-- Nodes a container was placed on by name (micromanagement).
CREATE TABLE micro_claims (
    container_id INTEGER NOT NULL REFERENCES containers (id),
    node_id INTEGER NOT NULL REFERENCES nodes (id),
    PRIMARY KEY (container_id, node_id)
) STRICT, WITHOUT ROWID;

-- The model a placement is billed under: the model of the claim that added it,
-- or, once that claim is gone, of a remaining claim (balloon, then fog, then
-- micromanagement).
ALTER TABLE placements ADD COLUMN model TEXT NOT NULL DEFAULT 'micro'
    CHECK (model IN ('balloon', 'fog', 'micro'));

-- Placements made before claims existed become micromanagement claims, so
-- every placement is claimed.
INSERT INTO micro_claims (container_id, node_id) SELECT container_id, node_id FROM placements;

-- Every change asked for, whatever became of it.
CREATE TABLE changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    operation TEXT NOT NULL CHECK (
        operation IN ('register', 'unregister', 'balloon', 'fog', 'retract', 'place', 'remove', 'move')
    ),
    container TEXT NOT NULL,        -- the container's name
    container_id INTEGER,           -- NULL until a register is deployed; kept after an unregister
    arguments TEXT NOT NULL CHECK (json_valid(arguments)),  -- the request's arguments as a JSON object
    author TEXT NOT NULL,
    planned_at TEXT NOT NULL,       -- UTC, ISO 8601
    base_revision INTEGER NOT NULL, -- the revision the change was planned against
    status TEXT NOT NULL CHECK (status IN ('planned', 'rejected', 'approved', 'deployed', 'failed', 'stale')),
    -- JSON array of the reasons a change was rejected or failed.
    reasons TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reasons) AND json_type(reasons) = 'array'),
    approved_by TEXT,
    approved_at TEXT,
    decided_by TEXT,                -- who rejected it, or whose deploy failed
    decided_at TEXT,                -- when it was deployed, rejected, failed or found stale
    deployed_revision INTEGER UNIQUE,  -- the revision the deploy created
    CHECK ((status = 'deployed') = (deployed_revision IS NOT NULL)),
    CHECK ((approved_by IS NULL) = (approved_at IS NULL))
) STRICT;

CREATE INDEX changes_by_status ON changes (status);
CREATE INDEX changes_by_container ON changes (container_id);

-- The placements a change adds or removes, and the placements it keeps but
-- bills under another model ('remodel').
CREATE TABLE change_placements (
    change_id INTEGER NOT NULL REFERENCES changes (id),
    node_id INTEGER NOT NULL REFERENCES nodes (id),
    action TEXT NOT NULL CHECK (action IN ('add', 'remove', 'remodel')),
    model TEXT NOT NULL CHECK (model IN ('balloon', 'fog', 'micro')),  -- the model after the change; for 'remove', the model it had
    -- The node's used memory and CPU when the change was planned, and what the
    -- change makes of them: a record of the plan, not live data.
    memory_used_before_mb INTEGER NOT NULL,
    memory_used_after_mb INTEGER NOT NULL,
    cpu_used_before_millicores INTEGER NOT NULL,
    cpu_used_after_millicores INTEGER NOT NULL,
    PRIMARY KEY (change_id, node_id)
) STRICT, WITHOUT ROWID;
