/// A stored change without its placements, as the workflow steps read it.
struct ChangeRecord {
    let id: Int
    let request: ChangeRequest
    let author: String
    let baseRevision: Int
    let status: ChangeStatus
    let reasons: [String]
    let deployedRevision: Int?
}

extension Repository {
    private static let changeColumns = """
        id, operation, container, arguments, author, planned_at, base_revision, status, reasons,
        approved_by, approved_at, decided_by, decided_at, deployed_revision,
        (SELECT count(*) FROM change_placements cp WHERE cp.change_id = changes.id AND cp.action = 'add'),
        (SELECT count(*) FROM change_placements cp WHERE cp.change_id = changes.id AND cp.action = 'remove'),
        (SELECT count(*) FROM change_placements cp WHERE cp.change_id = changes.id AND cp.action = 'remodel'),
        proximity
        """

    /// Returns change `id` with up to `placementLimit` of its placements (all when nil).
    ///
    /// - Throws: `.notFound` when there is no such change.
    public func change(_ id: Int, placementLimit: Int? = nil) throws -> Change {
        try perform("reading change \(id)") {
            try database.transaction(.deferred) {
                guard var change = try database.firstRow("SELECT \(Self.changeColumns) FROM changes WHERE id = ?", id, as: Self.change(from:))
                else {
                    throw try changeNotFound(id)
                }
                if placementLimit != 0 {
                    try forEachPlacement(ofChange: id, limit: placementLimit) { change.placements.append($0) }
                }
                return change
            }
        }
    }

    /// Returns every change, newest first, optionally only those with `status`,
    /// without their placements.
    public func changes(status: ChangeStatus? = nil, limit: Int? = nil) throws -> [Change] {
        try perform("listing changes") {
            let filter = status == nil ? "" : "WHERE status = ?"
            let arguments: [SQLBindable] = (status.map { [$0.rawValue] } ?? []) + [limit ?? -1]
            var changes: [Change] = []
            try database.forEachRow(
                "SELECT \(Self.changeColumns) FROM changes \(filter) ORDER BY id DESC LIMIT ?", arguments
            ) { row in
                changes.append(try Self.change(from: row))
            }
            return changes
        }
    }

    /// Calls `body` with each placement of change `id` in node id order, streaming,
    /// so a change of any size can be written out.
    public func forEachPlacement(ofChange id: Int, limit: Int? = nil, _ body: (PlannedPlacement) throws -> Void) throws {
        try database.forEachRow(
            """
            SELECT n.name, cp.node_id, n.depth, cp.action, cp.model, n.memory_mb, cp.memory_used_before_mb,
                cp.memory_used_after_mb, n.cpu_millicores, cp.cpu_used_before_millicores, cp.cpu_used_after_millicores
            FROM change_placements cp JOIN nodes n ON n.id = cp.node_id
            WHERE cp.change_id = ? ORDER BY cp.node_id LIMIT ?
            """,
            [id, limit ?? -1]
        ) { row in
            try body(
                PlannedPlacement(
                    node: row.string(0), nodeID: row.int(1), depth: row.int(2),
                    action: PlacementAction(rawValue: row.string(3)) ?? .add,
                    model: PlacementModel(rawValue: row.string(4)) ?? .micro,
                    memoryMB: row.int64(5), memoryUsedBeforeMB: row.int64(6), memoryUsedAfterMB: row.int64(7),
                    millicores: row.int64(8), millicoresUsedBefore: row.int64(9), millicoresUsedAfter: row.int64(10)))
        }
    }

    func changeRecord(_ id: Int) throws -> ChangeRecord {
        guard let change = try database.firstRow("SELECT \(Self.changeColumns) FROM changes WHERE id = ?", id, as: Self.change(from:))
        else {
            throw try changeNotFound(id)
        }
        return ChangeRecord(
            id: change.id, request: change.request, author: change.author, baseRevision: change.baseRevision,
            status: change.status, reasons: change.reasons, deployedRevision: change.deployedRevision)
    }

    private func changeNotFound(_ id: Int) throws -> PraaSError {
        let newest = try database.scalarInt("SELECT max(id) FROM changes")
        let range = newest.map { "changes are numbered 1 to \($0)" } ?? "there are no changes yet"
        return PraaSError(.notFound, "change \(id) not found; \(range) ('praas-db changes' lists them)")
    }

    private static func change(from row: Row) throws -> Change {
        let reasons: [String]
        if case .array(let elements)? = try? JSONValue.parse(row.string(8)) {
            reasons = elements.compactMap { element in
                if case .scalar(.string(let text)) = element { return text }
                return nil
            }
        } else {
            reasons = []
        }
        return Change(
            id: row.int(0),
            request: try ChangeRequest(operation: row.string(1), container: row.string(2), argumentsJSON: row.string(3)),
            author: row.string(4),
            plannedAt: row.string(5),
            baseRevision: row.int(6),
            status: ChangeStatus(rawValue: row.string(7)) ?? .failed,
            reasons: reasons,
            approvedBy: row.optionalString(9),
            approvedAt: row.optionalString(10),
            decidedBy: row.optionalString(11),
            decidedAt: row.optionalString(12),
            deployedRevision: row.optionalInt(13),
            placements: [],
            addedCount: row.int(14),
            removedCount: row.int(15),
            remodeledCount: row.int(16),
            proximity: row.optionalString(17).flatMap(PlanProximity.init(json:)))
    }

    // MARK: - Settings

    /// True when a change must be approved by someone other than its author.
    public func requiresDistinctApprover() throws -> Bool {
        try perform("reading the settings") {
            try database.scalarInt("SELECT require_distinct_approver FROM settings WHERE id = 1") == 1
        }
    }

    /// Sets whether a change must be approved by someone other than its author.
    public func setRequiresDistinctApprover(_ value: Bool) throws {
        try perform("changing the settings") {
            try database.transaction(.immediate) {
                let previous = try database.scalarInt("SELECT require_distinct_approver FROM settings WHERE id = 1") == 1
                guard previous != value else { return }
                try database.run("UPDATE settings SET require_distinct_approver = ? WHERE id = 1", value)
                try historyWriter().record(
                    .settingChanged, revision: try revision(),
                    details: "{\"setting\":\"require_distinct_approver\",\"from\":\(previous),\"to\":\(value)}")
            }
        }
    }
}
