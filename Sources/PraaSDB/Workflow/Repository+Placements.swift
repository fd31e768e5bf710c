/// One node a container runs on.
public struct ContainerPlacement: Equatable, Sendable {
    public var node: String
    public var depth: Int
    public var model: PlacementModel
}

/// What holds a container where it is: its balloon, fog targets and
/// micromanagement nodes.
public struct ContainerClaims: Equatable, Sendable {
    /// Every node of depth 0 to this depth; nil when the container has no balloon.
    public var balloonDepth: Int?
    /// Each target and its path to the root.
    public var fogTargets: [String]
    /// Exactly these nodes.
    public var microNodes: [String]
}

extension Repository {
    /// Returns the nodes `container` runs on, in node id order.
    ///
    /// - Throws: `.notFound` when no container has that name.
    public func placements(ofContainer container: String) throws -> [ContainerPlacement] {
        try perform("listing the placements of \(container)") {
            try database.transaction(.deferred) {
                let reference = try Planner(database: database).container(named: container)
                return try database.rows(
                    """
                    SELECT n.name, n.depth, p.model FROM placements p JOIN nodes n ON n.id = p.node_id
                    WHERE p.container_id = ? ORDER BY n.id
                    """, reference.id
                ) { row in
                    ContainerPlacement(node: row.string(0), depth: row.int(1), model: PlacementModel(rawValue: row.string(2)) ?? .micro)
                }
            }
        }
    }

    /// Returns the claims that hold `container` on its nodes.
    ///
    /// - Throws: `.notFound` when no container has that name.
    public func claims(ofContainer container: String) throws -> ContainerClaims {
        try perform("reading the claims of \(container)") {
            try database.transaction(.deferred) {
                let reference = try Planner(database: database).container(named: container)
                let depth = try database.scalarInt("SELECT depth FROM balloon_claims WHERE container_id = ?", reference.id)
                let fog = try database.rows(
                    "SELECT n.name FROM fog_claims f JOIN nodes n ON n.id = f.node_id WHERE f.container_id = ? ORDER BY n.id",
                    reference.id
                ) { $0.string(0) }
                let micro = try database.rows(
                    "SELECT n.name FROM micro_claims m JOIN nodes n ON n.id = m.node_id WHERE m.container_id = ? ORDER BY n.id",
                    reference.id
                ) { $0.string(0) }
                return ContainerClaims(balloonDepth: depth, fogTargets: fog, microNodes: micro)
            }
        }
    }
}
