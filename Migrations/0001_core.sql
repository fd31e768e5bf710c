-- Nodes, containers and placements, with capacity and the tree's shape
-- enforced by the database itself: no connection, whether praas-db or a raw
-- sqlite3 session, can commit a node over its memory or CPU or a node whose
-- depth disagrees with its parent.

-- Migrations applied to this file, one row per file in Migrations/.
CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY,  -- the number that starts the file name
    name TEXT NOT NULL,           -- the file name, for example 0001_core.sql
    applied_at TEXT NOT NULL      -- UTC, ISO 8601
) STRICT;

-- The deployed state's revision: 0 in a new database, 1 once a topology is
-- loaded, and one more with every deployed change.
CREATE TABLE state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL CHECK (revision >= 0),
    topology TEXT  -- where the nodes came from: a built-in topology's name or an imported file's name
) STRICT;

INSERT INTO state (id, revision) VALUES (1, 0);

-- The ISP's tree. Node N<k> of a state file has id k, so ordering by id gives
-- the file's list order.
CREATE TABLE nodes (
    id INTEGER PRIMARY KEY CHECK (id >= 0),
    name TEXT NOT NULL UNIQUE CHECK (
        length(name) BETWEEN 1 AND 128
        AND name = trim(name)
        AND name NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
    ),
    parent_id INTEGER REFERENCES nodes (id),  -- NULL for the root
    depth INTEGER NOT NULL CHECK (depth >= 0),  -- hops from the root
    memory_mb INTEGER NOT NULL CHECK (memory_mb BETWEEN 0 AND 1000000000),
    cpu_millicores INTEGER NOT NULL CHECK (cpu_millicores BETWEEN 0 AND 1000000000),
    -- JSON array of the names of the households attached to the node.
    households TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(households) AND json_type(households) = 'array'),
    household_count INTEGER GENERATED ALWAYS AS (json_array_length(households)) VIRTUAL,
    CHECK ((parent_id IS NULL) = (depth = 0))
) STRICT;

CREATE INDEX nodes_by_parent ON nodes (parent_id);
CREATE INDEX nodes_by_depth ON nodes (depth);

-- Roots are the nodes without a parent, and all of them have depth 0, so a
-- unique index on depth over them allows one root at most.
CREATE UNIQUE INDEX nodes_single_root ON nodes (depth) WHERE parent_id IS NULL;

-- A node's depth is its parent's depth plus one. Because depth grows by exactly
-- one along every parent link, no chain of parents can return to where it
-- started, so the tree has no cycle.
CREATE TRIGGER nodes_shape_on_insert BEFORE INSERT ON nodes
BEGIN
    SELECT RAISE(ABORT, 'tree: the tree already has a root')
    WHERE NEW.parent_id IS NULL
        AND EXISTS (SELECT 1 FROM nodes WHERE parent_id IS NULL);
    SELECT RAISE(ABORT, 'tree: the parent node does not exist')
    WHERE NEW.parent_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM nodes WHERE id = NEW.parent_id);
    SELECT RAISE(ABORT, 'tree: a node''s depth must be its parent''s depth plus one')
    WHERE NEW.parent_id IS NOT NULL
        AND NEW.depth IS NOT (SELECT depth + 1 FROM nodes WHERE id = NEW.parent_id);
END;

CREATE TRIGGER nodes_shape_on_update BEFORE UPDATE OF id, parent_id, depth ON nodes
BEGIN
    SELECT RAISE(ABORT, 'tree: the parent node does not exist')
    WHERE NEW.parent_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM nodes WHERE id = NEW.parent_id);
    SELECT RAISE(ABORT, 'tree: a node''s depth must be its parent''s depth plus one')
    WHERE NEW.parent_id IS NOT NULL
        AND NEW.depth IS NOT (SELECT depth + 1 FROM nodes WHERE id = NEW.parent_id);
    SELECT RAISE(ABORT, 'tree: a node with children cannot change its id or depth')
    WHERE (NEW.depth IS NOT OLD.depth OR NEW.id IS NOT OLD.id)
        AND EXISTS (SELECT 1 FROM nodes WHERE parent_id = OLD.id);
END;

-- Containers that customers rent. Ids are never reused, so an id in the
-- history always means the same container.
CREATE TABLE containers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE CHECK (
        length(name) BETWEEN 1 AND 128
        AND name = trim(name)
        AND name NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
    ),
    memory_mb INTEGER NOT NULL CHECK (memory_mb BETWEEN 1 AND 1000000000),
    cpu_millicores INTEGER NOT NULL CHECK (cpu_millicores BETWEEN 1 AND 1000000000),
    customer TEXT NOT NULL CHECK (
        length(customer) BETWEEN 1 AND 256
        AND customer NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
    )
) STRICT;

-- Names that differ only in letter case name the same container.
CREATE UNIQUE INDEX containers_name_nocase ON containers (name COLLATE NOCASE);

-- One container on one node. A node lists its containers in placement id order.
CREATE TABLE placements (
    id INTEGER PRIMARY KEY,
    container_id INTEGER NOT NULL REFERENCES containers (id),
    node_id INTEGER NOT NULL REFERENCES nodes (id),
    UNIQUE (container_id, node_id)
) STRICT;

-- Ordered by (node_id, id), so a node's containers come back in placement order.
CREATE INDEX placements_by_node ON placements (node_id);

-- Used capacity is derived from the placements, never stored.
CREATE VIEW node_usage AS
SELECT
    n.id AS node_id,
    n.name AS node,
    n.depth,
    n.memory_mb,
    coalesce(sum(c.memory_mb), 0) AS memory_used_mb,
    n.cpu_millicores,
    coalesce(sum(c.cpu_millicores), 0) AS cpu_used_millicores,
    count(p.id) AS container_count
FROM nodes n
LEFT JOIN placements p ON p.node_id = n.id
LEFT JOIN containers c ON c.id = p.container_id
GROUP BY n.id;

-- Capacity: after every change to a placement, container or node, each node
-- involved must still hold its containers' memory and CPU. The checks run after
-- the row is written, so the sums include it, and RAISE(ABORT) undoes the
-- statement.
CREATE TRIGGER placements_capacity_on_insert AFTER INSERT ON placements
BEGIN
    SELECT RAISE(ABORT, 'capacity: the node''s memory is exceeded')
    WHERE (SELECT sum(c.memory_mb) FROM placements p JOIN containers c ON c.id = p.container_id
           WHERE p.node_id = NEW.node_id)
        > (SELECT memory_mb FROM nodes WHERE id = NEW.node_id);
    SELECT RAISE(ABORT, 'capacity: the node''s CPU is exceeded')
    WHERE (SELECT sum(c.cpu_millicores) FROM placements p JOIN containers c ON c.id = p.container_id
           WHERE p.node_id = NEW.node_id)
        > (SELECT cpu_millicores FROM nodes WHERE id = NEW.node_id);
END;

CREATE TRIGGER placements_capacity_on_update AFTER UPDATE OF container_id, node_id ON placements
BEGIN
    SELECT RAISE(ABORT, 'capacity: the node''s memory is exceeded')
    WHERE (SELECT sum(c.memory_mb) FROM placements p JOIN containers c ON c.id = p.container_id
           WHERE p.node_id = NEW.node_id)
        > (SELECT memory_mb FROM nodes WHERE id = NEW.node_id);
    SELECT RAISE(ABORT, 'capacity: the node''s CPU is exceeded')
    WHERE (SELECT sum(c.cpu_millicores) FROM placements p JOIN containers c ON c.id = p.container_id
           WHERE p.node_id = NEW.node_id)
        > (SELECT cpu_millicores FROM nodes WHERE id = NEW.node_id);
END;

CREATE TRIGGER containers_capacity_on_update AFTER UPDATE OF memory_mb, cpu_millicores ON containers
BEGIN
    SELECT RAISE(ABORT, 'capacity: a node holding the container would exceed its memory or CPU')
    WHERE EXISTS (
        SELECT 1 FROM node_usage u
        WHERE u.node_id IN (SELECT node_id FROM placements WHERE container_id = NEW.id)
            AND (u.memory_used_mb > u.memory_mb OR u.cpu_used_millicores > u.cpu_millicores)
    );
END;

CREATE TRIGGER nodes_capacity_on_update AFTER UPDATE OF memory_mb, cpu_millicores ON nodes
BEGIN
    SELECT RAISE(ABORT, 'capacity: the node''s containers need more than the new capacity')
    WHERE (SELECT coalesce(sum(c.memory_mb), 0) FROM placements p JOIN containers c ON c.id = p.container_id
           WHERE p.node_id = NEW.id) > NEW.memory_mb
        OR (SELECT coalesce(sum(c.cpu_millicores), 0) FROM placements p JOIN containers c ON c.id = p.container_id
           WHERE p.node_id = NEW.id) > NEW.cpu_millicores;
END;
