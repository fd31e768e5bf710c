-- Proximity: how far each household is from the nearest node that holds a
-- container, in hops and in estimated latency.
--
-- The latency model: a household reaches its own node over an access link,
-- then crosses one link per hop, and each link's latency depends on the depth
-- of its lower end. The defaults make a household on a depth-5 node 25 ms from
-- the root (5 ms access and 5 links of 4 ms) and 5 ms from a container on its
-- own node.

CREATE TABLE latency_model (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- From a household to the node it hangs off.
    access_microseconds INTEGER NOT NULL CHECK (access_microseconds BETWEEN 0 AND 10000000),
    -- Each link whose depth has no row in link_latencies.
    link_microseconds INTEGER NOT NULL CHECK (link_microseconds BETWEEN 0 AND 10000000)
) STRICT;

INSERT INTO latency_model (id, access_microseconds, link_microseconds) VALUES (1, 5000, 4000);

-- Links whose latency differs from the default: the link between a node at
-- this depth and its parent.
CREATE TABLE link_latencies (
    depth INTEGER PRIMARY KEY CHECK (depth >= 1),
    microseconds INTEGER NOT NULL CHECK (microseconds BETWEEN 0 AND 10000000)
) STRICT;

-- The proximity of the change's container before and after it, as the plan
-- showed it: a JSON object, or NULL when the network was larger than
-- plan_proximity_node_limit.
ALTER TABLE changes ADD COLUMN proximity TEXT CHECK (proximity IS NULL OR json_valid(proximity));

-- Computing proximity reads every node, so plans of networks with more nodes
-- than this leave it out; 'praas-db proximity' computes it at any size.
ALTER TABLE settings ADD COLUMN plan_proximity_node_limit INTEGER NOT NULL DEFAULT 100000
    CHECK (plan_proximity_node_limit >= 0);
