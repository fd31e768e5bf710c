-- The audit trail: an append-only history of every placement, container and
-- change, and views that answer "what ran where, when, for whom, and who
-- decided it" with plain SQL.

-- One row per event. Rows are never changed or deleted: the triggers below
-- reject UPDATE and DELETE from any connection.
CREATE TABLE history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    revision INTEGER NOT NULL,  -- the state's revision the event belongs to
    at TEXT NOT NULL,           -- UTC, ISO 8601 with milliseconds
    actor TEXT NOT NULL,        -- who did it
    event TEXT NOT NULL CHECK (event IN (
        'history_started',          -- the history begins (a new database, or an upgraded one)
        'topology_loaded',          -- nodes loaded by init or import
        'container_registered',
        'container_unregistered',
        'placement_added',
        'placement_removed',
        'placement_remodeled',      -- the placement stays, billed under another model
        'change_planned',
        'change_rejected',
        'change_approved',
        'change_deployed',
        'change_failed',
        'change_stale',
        'setting_changed',
        'price_changed',
        'latency_changed'
    )),
    change_id INTEGER REFERENCES changes (id),
    -- Containers are kept by id and name, because an unregistered container's
    -- row is gone; ids are never reused.
    container_id INTEGER,
    container TEXT,
    customer TEXT,
    node_id INTEGER REFERENCES nodes (id),
    placement_id INTEGER,       -- placements.id, which orders a node's containers
    model TEXT CHECK (model IN ('balloon', 'fog', 'micro')),
    previous_model TEXT CHECK (previous_model IN ('balloon', 'fog', 'micro')),  -- for placement_remodeled
    details TEXT CHECK (details IS NULL OR json_valid(details))
) STRICT;

CREATE INDEX history_by_container ON history (container_id, node_id, id);
CREATE INDEX history_by_container_name ON history (container, id);
CREATE INDEX history_by_node ON history (node_id, id);
CREATE INDEX history_by_customer ON history (customer, at);
CREATE INDEX history_by_revision ON history (revision);
CREATE INDEX history_by_change ON history (change_id);
CREATE INDEX history_by_time ON history (at);

CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN
    SELECT RAISE(ABORT, 'history is append-only: its rows cannot be changed');
END;

CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN
    SELECT RAISE(ABORT, 'history is append-only: its rows cannot be deleted');
END;

-- A decided change is final, and no change or planned placement is ever
-- deleted, so the change log cannot be rewritten either.
CREATE TRIGGER changes_final BEFORE UPDATE ON changes
WHEN OLD.status IN ('deployed', 'rejected', 'failed', 'stale')
BEGIN
    SELECT RAISE(ABORT, 'a deployed, rejected, failed or stale change cannot be changed');
END;

CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes
BEGIN
    SELECT RAISE(ABORT, 'changes cannot be deleted');
END;

CREATE TRIGGER change_placements_no_update BEFORE UPDATE ON change_placements
BEGIN
    SELECT RAISE(ABORT, 'a change''s planned placements cannot be changed');
END;

CREATE TRIGGER change_placements_no_delete BEFORE DELETE ON change_placements
BEGIN
    SELECT RAISE(ABORT, 'a change''s planned placements cannot be deleted');
END;

-- The history starts with what the database holds now: a new database holds
-- nothing, and an upgraded one gets its containers and placements recorded at
-- the current revision, so replaying the history gives the current state.
INSERT INTO history (revision, at, actor, event)
SELECT revision, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'praas-db', 'history_started' FROM state;

INSERT INTO history (revision, at, actor, event, container_id, container, customer, details)
SELECT s.revision, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'praas-db', 'container_registered', c.id, c.name, c.customer,
    json_object('memory_mb', c.memory_mb, 'cpu_millicores', c.cpu_millicores)
FROM containers c, state s ORDER BY c.id;

INSERT INTO history (revision, at, actor, event, container_id, container, customer, node_id, placement_id, model)
SELECT s.revision, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'praas-db', 'placement_added', c.id, c.name, c.customer,
    p.node_id, p.id, p.model
FROM placements p JOIN containers c ON c.id = p.container_id, state s ORDER BY p.id;

-- Every stay of a container on a node under one model: from the event that
-- began it to the event that ended it (NULL while it lasts). A remodel ends
-- one interval and begins the next.
CREATE VIEW placement_intervals AS
SELECT
    s.container_id,
    s.container,
    s.customer,
    s.node_id,
    n.name AS node,
    n.depth,
    s.model,
    s.placement_id,
    s.revision AS from_revision,
    s.at AS from_at,
    s.change_id AS from_change_id,
    e.revision AS to_revision,
    e.at AS to_at,
    e.change_id AS to_change_id
FROM history s
JOIN nodes n ON n.id = s.node_id
LEFT JOIN history e ON e.id = (
    SELECT min(h.id) FROM history h
    WHERE h.container_id = s.container_id AND h.node_id = s.node_id AND h.id > s.id
        AND h.event IN ('placement_removed', 'placement_remodeled')
)
WHERE s.event IN ('placement_added', 'placement_remodeled');

-- Each revision of the state, the change that made it, and when.
CREATE VIEW revisions AS
SELECT revision, at, actor, change_id, event
FROM history
WHERE event IN ('topology_loaded', 'change_deployed')
    OR (event = 'history_started' AND revision > 0);

-- The placements of every revision: filter on revision for the state at one.
CREATE VIEW revision_placements AS
SELECT r.revision, i.container_id, i.container, i.customer, i.node_id, i.node, i.depth, i.model, i.placement_id
FROM revisions r
JOIN placement_intervals i
    ON i.from_revision <= r.revision AND (i.to_revision IS NULL OR i.to_revision > r.revision);

-- Each node's capacity, current use and use in percent.
CREATE VIEW node_utilization AS
SELECT
    node_id,
    node,
    depth,
    container_count,
    memory_mb,
    memory_used_mb,
    round(100.0 * memory_used_mb / nullif(memory_mb, 0), 1) AS memory_used_percent,
    cpu_millicores,
    cpu_used_millicores,
    round(100.0 * cpu_used_millicores / nullif(cpu_millicores, 0), 1) AS cpu_used_percent
FROM node_usage;

-- Every change with who planned, approved and decided it, and what it did.
CREATE VIEW change_log AS
SELECT
    c.id AS change_id,
    c.operation,
    c.container,
    c.arguments,
    c.status,
    c.author,
    c.planned_at,
    c.base_revision,
    c.approved_by,
    c.approved_at,
    c.decided_by,
    c.decided_at,
    c.deployed_revision,
    (SELECT count(*) FROM change_placements cp WHERE cp.change_id = c.id AND cp.action = 'add') AS added,
    (SELECT count(*) FROM change_placements cp WHERE cp.change_id = c.id AND cp.action = 'remove') AS removed,
    c.reasons
FROM changes c;
