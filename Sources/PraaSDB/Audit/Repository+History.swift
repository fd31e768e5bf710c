import Foundation

/// One row of the history.
public struct HistoryEvent: Equatable, Sendable {
    public var id: Int
    public var revision: Int
    /// UTC, ISO 8601.
    public var at: String
    public var actor: String
    /// The event's kind, such as `placement_added` or `change_approved`.
    public var event: String
    public var changeID: Int?
    public var container: String?
    public var customer: String?
    public var node: String?
    public var model: PlacementModel?
    /// For `placement_remodeled`, the model the placement had before.
    public var previousModel: PlacementModel?
    /// Extra facts as a JSON object, such as a change's reasons.
    public var details: String?
}

/// Which history rows to read. Every set field narrows the result.
public struct HistoryFilter: Equatable, Sendable {
    public var container: String?
    public var node: String?
    public var customer: String?
    /// Events at or after this time.
    public var since: Date?
    /// Events before this time.
    public var until: Date?

    public init(container: String? = nil, node: String? = nil, customer: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.container = container
        self.node = node
        self.customer = customer
        self.since = since
        self.until = until
    }
}

/// What changed between two revisions.
public struct RevisionDiff: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var container: String
        public var node: String
        public var model: PlacementModel
        /// For a placement that stayed under another model, the model it had.
        public var previousModel: PlacementModel?
    }

    public var from: Int
    public var to: Int
    public var added: [Entry]
    public var removed: [Entry]
    /// Placements present at both revisions under different models.
    public var remodeled: [Entry]
}

extension Repository {
    /// Calls `body` with each history event matching `filter`, oldest first.
    ///
    /// - Throws: `.notFound` when `filter.node` names no node, or when
    ///   `filter.container` or `filter.customer` appears nowhere in the history.
    public func forEachHistoryEvent(_ filter: HistoryFilter = HistoryFilter(), _ body: (HistoryEvent) throws -> Void) throws {
        try perform("reading the history") {
            try database.transaction(.deferred) {
                var conditions: [String] = []
                var arguments: [SQLBindable] = []
                if let container = filter.container {
                    try checkContainerInHistory(container)
                    conditions.append("h.container = ?")
                    arguments.append(container)
                }
                if let node = filter.node {
                    let reference = try Planner(database: database).node(named: node)
                    conditions.append("h.node_id = ?")
                    arguments.append(reference.id)
                }
                if let customer = filter.customer {
                    try checkCustomerInHistory(customer)
                    conditions.append("h.customer = ?")
                    arguments.append(customer)
                }
                if let since = filter.since {
                    conditions.append("h.at >= ?")
                    arguments.append(Timestamp.format(since))
                }
                if let until = filter.until {
                    conditions.append("h.at < ?")
                    arguments.append(Timestamp.format(until))
                }
                let filterSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
                try database.forEachRow(
                    """
                    SELECT h.id, h.revision, h.at, h.actor, h.event, h.change_id, h.container, h.customer, n.name,
                        h.model, h.previous_model, h.details
                    FROM history h LEFT JOIN nodes n ON n.id = h.node_id
                    \(filterSQL)
                    ORDER BY h.id
                    """, arguments
                ) { row in
                    try body(
                        HistoryEvent(
                            id: row.int(0), revision: row.int(1), at: row.string(2), actor: row.string(3),
                            event: row.string(4), changeID: row.optionalInt(5), container: row.optionalString(6),
                            customer: row.optionalString(7), node: row.optionalString(8),
                            model: row.optionalString(9).flatMap(PlacementModel.init(rawValue:)),
                            previousModel: row.optionalString(10).flatMap(PlacementModel.init(rawValue:)),
                            details: row.optionalString(11)))
                }
            }
        }
    }

    /// Returns the history events matching `filter`, oldest first.
    public func history(_ filter: HistoryFilter = HistoryFilter()) throws -> [HistoryEvent] {
        var events: [HistoryEvent] = []
        try forEachHistoryEvent(filter) { events.append($0) }
        return events
    }

    /// Returns the revision that was current at `date`: the newest one made at
    /// or before it.
    ///
    /// - Throws: `.notFound` when no revision existed yet at `date`.
    public func revision(at date: Date) throws -> Int {
        try perform("finding the revision at \(Timestamp.format(date))") {
            let timestamp = Timestamp.format(date)
            if let revision = try database.scalarInt("SELECT max(revision) FROM revisions WHERE at <= ?", timestamp) {
                return revision
            }
            let first = try database.scalarString("SELECT min(at) FROM revisions")
            throw PraaSError(
                .notFound,
                "no revision existed at \(timestamp)"
                    + (first.map { "; the first revision was made at \($0)" } ?? "; the database has no topology yet"))
        }
    }

    /// Writes the state as it was at `revision`, rebuilt from the history, as a
    /// state file in the prototype's format, streaming it to `sink`.
    ///
    /// - Throws: `.notFound` for a revision that does not exist or lies before the
    ///   history starts.
    public func exportState(atRevision revision: Int, to sink: @escaping ([UInt8]) throws -> Void) throws {
        try perform("rebuilding revision \(revision)") {
            try database.transaction(.deferred) {
                try checkRebuildable(revision)
                try writeState(
                    containers: try containerTable(atRevision: revision),
                    placementsSQL: """
                        SELECT node_id, container_id FROM placement_intervals
                        WHERE from_revision <= ?1 AND (to_revision IS NULL OR to_revision > ?1)
                        ORDER BY node_id, placement_id
                        """,
                    placementArguments: [revision],
                    sink: sink)
            }
        }
    }

    /// Writes the state at `revision` to the file at `path`, replacing it only once
    /// the new file is complete.
    public func exportState(atRevision revision: Int, toFile path: String) throws {
        try AtomicFile.write(to: path) { sink in
            try exportState(atRevision: revision, to: sink)
        }
    }

    /// Returns the placements added, removed and remodeled between two revisions.
    public func diff(from: Int, to: Int) throws -> RevisionDiff {
        try perform("comparing revisions \(from) and \(to)") {
            try database.transaction(.deferred) {
                try checkRebuildable(from)
                try checkRebuildable(to)
                let before = try placementSet(atRevision: from)
                let after = try placementSet(atRevision: to)
                var diff = RevisionDiff(from: from, to: to, added: [], removed: [], remodeled: [])
                for (key, entry) in after {
                    if let old = before[key] {
                        if old.model != entry.model {
                            diff.remodeled.append(RevisionDiff.Entry(container: entry.container, node: entry.node, model: entry.model, previousModel: old.model))
                        }
                    } else {
                        diff.added.append(entry)
                    }
                }
                for (key, entry) in before where after[key] == nil {
                    diff.removed.append(entry)
                }
                let order = try nodeOrder()
                func sorted(_ entries: [RevisionDiff.Entry]) -> [RevisionDiff.Entry] {
                    entries.sorted { ($0.container, order[$0.node] ?? 0) < ($1.container, order[$1.node] ?? 0) }
                }
                diff.added = sorted(diff.added)
                diff.removed = sorted(diff.removed)
                diff.remodeled = sorted(diff.remodeled)
                return diff
            }
        }
    }

    // MARK: - Helpers

    private func checkRebuildable(_ revision: Int) throws {
        let current = try database.scalarInt("SELECT revision FROM state WHERE id = 1") ?? 0
        let first = try database.scalarInt("SELECT min(revision) FROM revisions") ?? 1
        guard revision >= first, revision <= current else {
            let range = current >= first ? "revisions \(first) to \(current) exist" : "there are no revisions yet"
            throw PraaSError(.notFound, "revision \(revision) not found; \(range)")
        }
    }

    private func containerTable(atRevision revision: Int) throws -> [Int: StateFile.Container] {
        var containers: [Int: StateFile.Container] = [:]
        try database.forEachRow(
            """
            SELECT r.container_id, r.container, r.customer,
                json_extract(r.details, '$.memory_mb'), json_extract(r.details, '$.cpu_millicores')
            FROM history r
            WHERE r.event = 'container_registered' AND r.revision <= ?1
                AND NOT EXISTS (
                    SELECT 1 FROM history u
                    WHERE u.event = 'container_unregistered' AND u.container_id = r.container_id AND u.revision <= ?1)
            ORDER BY r.container_id
            """, [revision]
        ) { row in
            containers[row.int(0)] = StateFile.Container(
                name: row.string(1), memoryMB: row.int64(3), millicores: row.int64(4), customer: row.string(2))
        }
        return containers
    }

    private func placementSet(atRevision revision: Int) throws -> [String: RevisionDiff.Entry] {
        var entries: [String: RevisionDiff.Entry] = [:]
        try database.forEachRow(
            "SELECT container_id, container, node, model FROM revision_placements WHERE revision = ?", [revision]
        ) { row in
            entries["\(row.int(0)) \(row.string(2))"] = RevisionDiff.Entry(
                container: row.string(1), node: row.string(2), model: PlacementModel(rawValue: row.string(3)) ?? .micro)
        }
        return entries
    }

    private func nodeOrder() throws -> [String: Int] {
        var order: [String: Int] = [:]
        try database.forEachRow("SELECT name, id FROM nodes") { order[$0.string(0)] = $0.int(1) }
        return order
    }
}
