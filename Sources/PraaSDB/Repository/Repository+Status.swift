/// The state of the network at a glance.
public struct Status: Equatable, Sendable {
    /// Path of the database file.
    public var path: String
    /// Schema version: the newest migration applied.
    public var schemaVersion: Int
    /// Revision of the deployed state.
    public var revision: Int
    /// Where the nodes came from: a built-in topology's name or an imported file.
    public var topology: String?
    public var nodeCount: Int
    /// The greatest depth of any node; 0 for a database without nodes.
    public var maxDepth: Int
    public var containerCount: Int
    public var placementCount: Int
    public var memoryMB: Int64
    public var memoryUsedMB: Int64
    public var millicores: Int64
    public var millicoresUsed: Int64
}

/// A node with its used capacity and containers.
public struct NodeSummary: Equatable, Sendable {
    public var id: Int
    public var name: String
    /// The parent's name; nil for the root.
    public var parent: String?
    public var depth: Int
    public var memoryMB: Int64
    public var memoryUsedMB: Int64
    public var millicores: Int64
    public var millicoresUsed: Int64
    public var householdCount: Int
    /// Names of the containers on the node, in placement order.
    public var containers: [String]
}

/// A registered container and how many nodes it runs on.
public struct ContainerSummary: Equatable, Sendable {
    public var id: Int
    public var name: String
    public var memoryMB: Int64
    public var millicores: Int64
    public var customer: String
    public var nodeCount: Int
}

extension Repository {
    /// Returns the revision, counts, and total and used capacity.
    public func status() throws -> Status {
        try perform("reading the status") {
            try database.transaction(.deferred) {
                let state = try database.firstRow("SELECT revision, topology FROM state WHERE id = 1") { row in
                    (row.int(0), row.optionalString(1))
                }
                let nodes = try database.firstRow(
                    "SELECT count(*), coalesce(max(depth), 0), coalesce(sum(memory_mb), 0), coalesce(sum(cpu_millicores), 0) FROM nodes"
                ) { row in (row.int(0), row.int(1), row.int64(2), row.int64(3)) }!
                let used = try database.firstRow(
                    """
                    SELECT count(*), coalesce(sum(c.memory_mb), 0), coalesce(sum(c.cpu_millicores), 0)
                    FROM placements p JOIN containers c ON c.id = p.container_id
                    """
                ) { row in (row.int(0), row.int64(1), row.int64(2)) }!
                return Status(
                    path: database.path,
                    schemaVersion: try database.scalarInt("SELECT max(version) FROM schema_migrations") ?? 0,
                    revision: state?.0 ?? 0,
                    topology: state?.1,
                    nodeCount: nodes.0,
                    maxDepth: nodes.1,
                    containerCount: try database.scalarInt("SELECT count(*) FROM containers") ?? 0,
                    placementCount: used.0,
                    memoryMB: nodes.2,
                    memoryUsedMB: used.1,
                    millicores: nodes.3,
                    millicoresUsed: used.2)
            }
        }
    }

    /// Calls `body` with each node in id order, optionally only those at `depth`,
    /// streaming so that a network of any size is listed in bounded memory.
    public func forEachNode(depth: Int? = nil, _ body: (NodeSummary) throws -> Void) throws {
        let sql = """
            SELECT n.id, n.name, parent.name, n.depth, n.memory_mb, n.cpu_millicores, n.household_count,
                c.name, c.memory_mb, c.cpu_millicores
            FROM nodes n
            LEFT JOIN nodes parent ON parent.id = n.parent_id
            LEFT JOIN placements p ON p.node_id = n.id
            LEFT JOIN containers c ON c.id = p.container_id
            \(depth == nil ? "" : "WHERE n.depth = ?")
            ORDER BY n.id, p.id
            """
        try perform("listing nodes") {
            try database.transaction(.deferred) {
                var current: NodeSummary?
                try database.forEachRow(sql, depth.map { [$0] } ?? []) { row in
                    let id = row.int(0)
                    if current?.id != id {
                        if let finished = current {
                            try body(finished)
                        }
                        current = NodeSummary(
                            id: id, name: row.string(1), parent: row.optionalString(2), depth: row.int(3),
                            memoryMB: row.int64(4), memoryUsedMB: 0, millicores: row.int64(5), millicoresUsed: 0,
                            householdCount: row.int(6), containers: [])
                    }
                    if let container = row.optionalString(7) {
                        current!.containers.append(container)
                        current!.memoryUsedMB += row.int64(8)
                        current!.millicoresUsed += row.int64(9)
                    }
                }
                if let finished = current {
                    try body(finished)
                }
            }
        }
    }

    /// Returns every node in id order, optionally only those at `depth`.
    public func nodes(depth: Int? = nil) throws -> [NodeSummary] {
        var nodes: [NodeSummary] = []
        try forEachNode(depth: depth) { nodes.append($0) }
        return nodes
    }

    /// Returns every registered container in registration order.
    public func containers() throws -> [ContainerSummary] {
        try perform("listing containers") {
            try database.rows(
                """
                SELECT c.id, c.name, c.memory_mb, c.cpu_millicores, c.customer, count(p.id)
                FROM containers c LEFT JOIN placements p ON p.container_id = c.id
                GROUP BY c.id ORDER BY c.id
                """
            ) { row in
                ContainerSummary(
                    id: row.int(0), name: row.string(1), memoryMB: row.int64(2), millicores: row.int64(3),
                    customer: row.string(4), nodeCount: row.int(5))
            }
        }
    }
}
