/// One container on a node and the model that placed it there.
public struct MapPlacement: Equatable, Sendable {
    public var container: String
    public var model: PlacementModel
}

/// A node as the tree and graph pictures show it.
public struct MapNode: Equatable, Sendable {
    public var id: Int
    public var name: String
    /// The parent's id; nil for the root of the whole network.
    public var parentID: Int?
    /// Hops from the network's root N0, also when the map starts lower.
    public var depth: Int
    public var memoryMB: Int64
    public var memoryUsedMB: Int64
    public var millicores: Int64
    public var millicoresUsed: Int64
    public var householdCount: Int
    /// Every container on the node, in placement order.
    public var placements: [MapPlacement]
    /// How many children the node has in the network, shown or not.
    public var childCount: Int
}

/// A container chosen for a picture, with where it runs and why.
public struct ContainerLayout: Equatable, Sendable {
    public var name: String
    public var customer: String
    public var memoryMB: Int64
    public var millicores: Int64
    /// The model of each node the container runs on, by node name, over the whole network.
    public var placements: [String: PlacementModel]
    public var claims: ContainerClaims
}

/// A part of the tree, read in one transaction: the nodes from a starting node
/// down to a depth, and the layouts of the containers asked for.
public struct NetworkMap: Equatable, Sendable {
    /// The revision of the deployed state the map shows.
    public var revision: Int
    /// The source of the nodes: a built-in topology's name or an imported file's name.
    public var topology: String?
    /// The nodes in depth-first order, each parent before its children and
    /// siblings in id order.
    public var nodes: [MapNode]
    /// The containers asked for, in the order asked.
    public var containers: [ContainerLayout]
    /// The deepest depth shown; nil when the map goes to the leaves.
    public var maxDepth: Int?

    /// The positions in `nodes` of each node's shown children, by node id.
    public func childIndices() -> [Int: [Int]] {
        var positions: [Int: Int] = [:]
        var children: [Int: [Int]] = [:]
        for (index, node) in nodes.enumerated() {
            positions[node.id] = index
            if let parent = node.parentID, positions[parent] != nil {
                children[parent, default: []].append(index)
            }
        }
        return children
    }
}

extension Repository {
    /// Returns the nodes from `root` (N0's name when nil) down to `maxDepth` (hops
    /// from N0; nil for every level), and the layouts of `containers`.
    ///
    /// - Throws: `.notFound` when `root` or a container does not exist.
    public func networkMap(containers: [String] = [], root: String? = nil, maxDepth: Int? = nil) throws -> NetworkMap {
        try perform("reading the network map") {
            try database.transaction(.deferred) {
                let state = try database.firstRow("SELECT revision, topology FROM state WHERE id = 1") { row in
                    (revision: row.int(0), topology: row.optionalString(1))
                }
                var map = NetworkMap(revision: state?.revision ?? 0, topology: state?.topology, nodes: [], containers: [], maxDepth: maxDepth)
                let planner = Planner(database: database)
                map.containers = try containers.map { try layout(of: try planner.container(named: $0)) }
                let rootID: Int?
                if let root {
                    rootID = try planner.node(named: root).id
                } else {
                    rootID = try database.scalarInt("SELECT id FROM nodes WHERE parent_id IS NULL ORDER BY id LIMIT 1")
                }
                if let rootID {
                    map.nodes = try subtree(from: rootID, maxDepth: maxDepth)
                }
                return map
            }
        }
    }

    /// Reads the subtree below `rootID` in depth-first order. The recursive query
    /// walks the tree through the parent index, so a map of a small part of a
    /// large network reads only that part.
    private func subtree(from rootID: Int, maxDepth: Int?) throws -> [MapNode] {
        var byID: [Int: MapNode] = [:]
        var children: [Int: [Int]] = [:]
        let sql = """
            WITH RECURSIVE shown(id) AS (
                SELECT id FROM nodes WHERE id = ?1
                UNION ALL
                SELECT n.id FROM nodes n JOIN shown s ON n.parent_id = s.id WHERE ?2 IS NULL OR n.depth <= ?2
            )
            SELECT n.id, n.name, n.parent_id, n.depth, n.memory_mb, n.cpu_millicores, n.household_count,
                (SELECT count(*) FROM nodes c WHERE c.parent_id = n.id),
                c.name, c.memory_mb, c.cpu_millicores, p.model
            FROM shown s
            JOIN nodes n ON n.id = s.id
            LEFT JOIN placements p ON p.node_id = n.id
            LEFT JOIN containers c ON c.id = p.container_id
            ORDER BY n.id, p.id
            """
        try database.forEachRow(sql, [rootID, maxDepth]) { row in
            let id = row.int(0)
            if byID[id] == nil {
                let parentID = row.optionalInt(2)
                byID[id] = MapNode(
                    id: id, name: row.string(1), parentID: parentID, depth: row.int(3), memoryMB: row.int64(4), memoryUsedMB: 0,
                    millicores: row.int64(5), millicoresUsed: 0, householdCount: row.int(6), placements: [], childCount: row.int(7))
                if id != rootID, let parentID {
                    children[parentID, default: []].append(id)
                }
            }
            if let container = row.optionalString(8) {
                byID[id]!.placements.append(
                    MapPlacement(container: container, model: PlacementModel(rawValue: row.string(11)) ?? .micro))
                byID[id]!.memoryUsedMB += row.int64(9)
                byID[id]!.millicoresUsed += row.int64(10)
            }
        }

        // Rows come in id order; an explicit stack turns them into depth-first
        // order without recursion, so a deep generated tree cannot overflow the stack.
        var ordered: [MapNode] = []
        ordered.reserveCapacity(byID.count)
        var stack = [rootID]
        while let id = stack.popLast() {
            ordered.append(byID[id]!)
            stack.append(contentsOf: (children[id] ?? []).reversed())
        }
        return ordered
    }

    private func layout(of container: ContainerRef) throws -> ContainerLayout {
        var placements: [String: PlacementModel] = [:]
        try database.forEachRow(
            "SELECT n.name, p.model FROM placements p JOIN nodes n ON n.id = p.node_id WHERE p.container_id = ?", [container.id]
        ) { row in
            placements[row.string(0)] = PlacementModel(rawValue: row.string(1)) ?? .micro
        }
        let depth = try database.scalarInt("SELECT depth FROM balloon_claims WHERE container_id = ?", container.id)
        let fog = try database.rows(
            "SELECT n.name FROM fog_claims f JOIN nodes n ON n.id = f.node_id WHERE f.container_id = ? ORDER BY n.id", container.id
        ) { $0.string(0) }
        let micro = try database.rows(
            "SELECT n.name FROM micro_claims m JOIN nodes n ON n.id = m.node_id WHERE m.container_id = ? ORDER BY n.id", container.id
        ) { $0.string(0) }
        return ContainerLayout(
            name: container.name, customer: container.customer, memoryMB: container.memoryMB, millicores: container.millicores,
            placements: placements, claims: ContainerClaims(balloonDepth: depth, fogTargets: fog, microNodes: micro))
    }
}
