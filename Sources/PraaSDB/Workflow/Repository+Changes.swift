extension Repository {
    /// The maximum length of a reason that `reject` records, in Unicode scalars.
    public static let maxReasonLength = 1000

    /// The most rule violations a rejected change lists; the rest are counted.
    static let maxListedReasons = 100

    /// Plans a change: works out its placements and checks every rule against the
    /// current state, then stores the change as `planned`, or as `rejected` with
    /// its reasons. One transaction; the deployed state does not move.
    ///
    /// - Parameter placementLimit: how many of the change's placements to load into
    ///   the returned value; nil loads all of them.
    /// - Throws: `.notFound` for an unknown container or node and
    ///   `.invalidArgument` for an invalid value; nothing is stored then.
    public func plan(_ request: ChangeRequest, placementLimit: Int? = nil) throws -> Change {
        let id = try perform("planning '\(request.summary)'") {
            try database.transaction(.immediate) {
                let outcome = try Planner(database: database).plan(request)
                let revision = try database.scalarInt("SELECT revision FROM state WHERE id = 1") ?? 0
                try database.run(
                    """
                    INSERT INTO changes (operation, container, container_id, arguments, author, planned_at, base_revision, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'planned')
                    """,
                    request.operation, request.container, outcome.container?.id, request.argumentsJSON,
                    options.actor, now, revision)
                let changeID = Int(database.lastInsertRowID)
                try storePlanRows(changeID, outcome)

                let reasons = outcome.violations + (try capacityViolations(ofChange: changeID))
                if let proximity = try planProximity(changeID: changeID, containerID: outcome.container?.id) {
                    try database.run("UPDATE changes SET proximity = ? WHERE id = ?", proximity, changeID)
                }
                if !reasons.isEmpty {
                    try database.run(
                        "UPDATE changes SET status = 'rejected', reasons = ?, decided_at = planned_at WHERE id = ?",
                        Self.jsonArray(reasons), changeID)
                }

                let history = historyWriter()
                let subject = Self.subject(of: request, container: outcome.container)
                try history.record(
                    .changePlanned, revision: revision, change: changeID, container: subject,
                    details: "{\"operation\":\(JSONWriter.quoted(request.operation)),\"arguments\":\(request.argumentsJSON)}")
                if !reasons.isEmpty {
                    try history.record(
                        .changeRejected, revision: revision, change: changeID, container: subject,
                        details: "{\"reasons\":\(Self.jsonArray(reasons))}")
                }
                return changeID
            }
        }
        return try change(id, placementLimit: placementLimit)
    }

    /// Approves a planned change after checking it again against the current
    /// state, and records who approved it and when.
    ///
    /// - Parameter approver: who approves; the repository's actor when nil.
    /// - Throws: `.invalidArgument` when `approver` is not a valid name;
    ///   `.conflict` when the change is not planned, or is stale (planned
    ///   against an older revision; it is then marked `stale`);
    ///   `.constraintViolation` when the approver must differ from the author.
    ///   Names that differ only in letter case or Unicode normalization count as
    ///   the same person, as container names do.
    public func approve(_ id: Int, by approver: String? = nil) throws -> Change {
        if let approver, let problem = Name.problem(with: approver) {
            throw PraaSError.invalidArgument("the approver name \(JSONWriter.quoted(approver)) \(problem)")
        }
        let approver = approver ?? options.actor
        let stale: (base: Int, current: Int)? = try perform("approving change \(id)") {
            try database.transaction(.immediate) {
                let record = try changeRecord(id)
                try requireStatus(record, .planned, step: "approved")
                let current = try revision(inTransaction: ())
                if record.baseRevision != current {
                    try markStale(record, currentRevision: current)
                    return (record.baseRevision, current)
                }
                if try requiresDistinctApprover(), Name.collisionKey(approver) == Name.collisionKey(record.author) {
                    // Swift's == ignores Unicode normalization, so only the scalars tell an exact repeat apart.
                    let isExactRepeat = approver.unicodeScalars.elementsEqual(record.author.unicodeScalars)
                    let sameName =
                        isExactRepeat
                        ? ""
                        : ", the same person as \(approver) (names that differ only in letter case or Unicode normalization are the same)"
                    throw PraaSError(
                        .constraintViolation,
                        "change \(id) was planned by \(record.author)\(sameName), and this database requires another person "
                            + "to approve it; approve it with --by NAME as someone else")
                }
                let reasons = try recheck(record)
                guard reasons.isEmpty else {
                    throw PraaSError(.constraintViolation, "change \(id) no longer holds: " + reasons.joined(separator: "; "))
                }
                let history = HistoryWriter(database: database, actor: approver, at: now)
                try database.run(
                    "UPDATE changes SET status = 'approved', approved_by = ?, approved_at = ? WHERE id = ?",
                    approver, history.at, id)
                try history.record(.changeApproved, revision: current, change: id, container: try subject(of: record))
                return nil
            }
        }
        if let stale {
            throw Self.staleError(id, base: stale.base, current: stale.current)
        }
        return try change(id, placementLimit: 0)
    }

    /// Deploys an approved change in one `BEGIN IMMEDIATE` transaction: checks the
    /// state is still at the change's revision, plans it again and compares the
    /// result with the approved placements, applies them, and bumps the revision.
    ///
    /// Any failure rolls all of that back; the change is then marked `failed` (or
    /// `stale`) with the reason, in a separate transaction. A change deploys once.
    ///
    /// - Throws: `.conflict` when the change is not approved or is stale,
    ///   `.constraintViolation` when it no longer fits, `.busy` when another process
    ///   holds the lock too long (the change stays approved and can be retried).
    public func deploy(_ id: Int) throws -> Change {
        do {
            try perform("deploying change \(id)") {
                try database.transaction(.immediate) {
                    let record = try changeRecord(id)
                    try requireStatus(record, .approved, step: "deployed")
                    let current = try revision(inTransaction: ())
                    guard record.baseRevision == current else {
                        throw Self.staleError(id, base: record.baseRevision, current: current)
                    }
                    let outcome = try Planner(database: database).plan(record.request)
                    let reasons = outcome.violations + (try planDifferences(id)) + (try currentCapacityViolations(outcome))
                    guard reasons.isEmpty else {
                        throw PraaSError(.constraintViolation, "change \(id) cannot be deployed: " + reasons.joined(separator: "; "))
                    }
                    try apply(record, outcome: outcome, newRevision: current + 1)
                }
            }
        } catch let error as PraaSError where error.kind != .busy {
            try? recordFailure(id, error)
            throw error
        }
        return try change(id, placementLimit: 0)
    }

    /// Plans, approves and deploys a request in three transactions, each recorded
    /// as it would be step by step. Stops after planning when the plan is rejected.
    public func planApproveDeploy(_ request: ChangeRequest, placementLimit: Int? = nil) throws -> Change {
        let planned = try plan(request, placementLimit: placementLimit)
        guard planned.status == .planned else { return planned }
        _ = try approve(planned.id)
        var deployed = try deploy(planned.id)
        deployed.placements = planned.placements
        return deployed
    }

    /// Rejects a planned or approved change, so it can never deploy.
    public func reject(_ id: Int, reason: String? = nil) throws -> Change {
        // A reason is shown in terminals, so it follows the rules of names, only longer.
        if let reason, let problem = Name.problem(with: reason, maxLength: Self.maxReasonLength) {
            throw PraaSError.invalidArgument("the reason \(JSONWriter.quoted(reason)) \(problem)")
        }
        try perform("rejecting change \(id)") {
            try database.transaction(.immediate) {
                let record = try changeRecord(id)
                guard record.status == .planned || record.status == .approved else {
                    throw PraaSError(.conflict, "change \(id) is \(record.status.rawValue); only a planned or approved change can be rejected")
                }
                let text = "rejected by \(options.actor)" + (reason.map { ": \($0)" } ?? "")
                let history = historyWriter()
                try database.run(
                    "UPDATE changes SET status = 'rejected', reasons = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                    Self.jsonArray([text]), options.actor, history.at, id)
                try history.record(
                    .changeRejected, revision: try revision(inTransaction: ()), change: id, container: try subject(of: record),
                    details: "{\"reasons\":\(Self.jsonArray([text]))}")
            }
        }
        return try change(id, placementLimit: 0)
    }

    // MARK: - Steps

    private func storePlanRows(_ changeID: Int, _ outcome: PlanOutcome) throws {
        try database.run(
            """
            INSERT INTO change_placements (
                change_id, node_id, action, model, memory_used_before_mb, memory_used_after_mb,
                cpu_used_before_millicores, cpu_used_after_millicores)
            SELECT ?1, node_id, action, model,
                memory, memory + CASE action WHEN 'add' THEN ?2 WHEN 'remove' THEN -?2 ELSE 0 END,
                cpu, cpu + CASE action WHEN 'add' THEN ?3 WHEN 'remove' THEN -?3 ELSE 0 END
            FROM (
                SELECT r.node_id, r.action, r.model,
                    (SELECT coalesce(sum(c.memory_mb), 0) FROM placements p JOIN containers c ON c.id = p.container_id
                     WHERE p.node_id = r.node_id) AS memory,
                    (SELECT coalesce(sum(c.cpu_millicores), 0) FROM placements p JOIN containers c ON c.id = p.container_id
                     WHERE p.node_id = r.node_id) AS cpu
                FROM temp.plan_rows r
            )
            """,
            changeID, outcome.memoryMB, outcome.millicores)
    }

    /// One line per node the change would overfill, such as
    /// `N57: needs 256 MB, 128 MB free`.
    private func capacityViolations(ofChange changeID: Int) throws -> [String] {
        var lines: [String] = []
        var count = 0
        try database.forEachRow(
            """
            SELECT n.name, n.memory_mb, n.cpu_millicores, cp.memory_used_before_mb, cp.memory_used_after_mb,
                cp.cpu_used_before_millicores, cp.cpu_used_after_millicores
            FROM change_placements cp JOIN nodes n ON n.id = cp.node_id
            WHERE cp.change_id = ? AND cp.action = 'add'
                AND (cp.memory_used_after_mb > n.memory_mb OR cp.cpu_used_after_millicores > n.cpu_millicores)
            ORDER BY cp.node_id
            """,
            [changeID]
        ) { row in
            count += 1
            guard lines.count < Self.maxListedReasons else { return }
            lines.append(
                Self.shortfall(
                    node: row.string(0), memoryMB: row.int64(1), millicores: row.int64(2),
                    memoryBefore: row.int64(3), memoryAfter: row.int64(4),
                    cpuBefore: row.int64(5), cpuAfter: row.int64(6)))
        }
        if count > lines.count {
            lines.append("... and \(count - lines.count) more nodes lack capacity")
        }
        return lines
    }

    /// The capacity violations of the rows in `temp.plan_rows` against the
    /// current placements.
    private func currentCapacityViolations(_ outcome: PlanOutcome) throws -> [String] {
        var lines: [String] = []
        try database.forEachRow(
            """
            SELECT n.name, n.memory_mb, n.cpu_millicores, u.memory, u.cpu
            FROM temp.plan_rows r
            JOIN nodes n ON n.id = r.node_id
            JOIN (
                SELECT r2.node_id,
                    (SELECT coalesce(sum(c.memory_mb), 0) FROM placements p JOIN containers c ON c.id = p.container_id
                     WHERE p.node_id = r2.node_id) AS memory,
                    (SELECT coalesce(sum(c.cpu_millicores), 0) FROM placements p JOIN containers c ON c.id = p.container_id
                     WHERE p.node_id = r2.node_id) AS cpu
                FROM temp.plan_rows r2 WHERE r2.action = 'add'
            ) u ON u.node_id = r.node_id
            WHERE u.memory + ? > n.memory_mb OR u.cpu + ? > n.cpu_millicores
            ORDER BY r.node_id LIMIT ?
            """,
            [outcome.memoryMB, outcome.millicores, Self.maxListedReasons]
        ) { row in
            lines.append(
                Self.shortfall(
                    node: row.string(0), memoryMB: row.int64(1), millicores: row.int64(2),
                    memoryBefore: row.int64(3), memoryAfter: row.int64(3) + outcome.memoryMB,
                    cpuBefore: row.int64(4), cpuAfter: row.int64(4) + outcome.millicores))
        }
        return lines
    }

    static func shortfall(
        node: String, memoryMB: Int64, millicores: Int64, memoryBefore: Int64, memoryAfter: Int64, cpuBefore: Int64,
        cpuAfter: Int64
    ) -> String {
        var parts: [String] = []
        if memoryAfter > memoryMB {
            parts.append("\(memoryAfter - memoryBefore) MB, \(max(0, memoryMB - memoryBefore)) MB free")
        }
        if cpuAfter > millicores {
            parts.append(
                "\(Quantity.formatCores(cpuAfter - cpuBefore)) cores, "
                    + "\(Quantity.formatCores(max(0, millicores - cpuBefore))) cores free")
        }
        return "\(node): needs " + parts.joined(separator: ", and ")
    }

    /// Plans the change again and returns how the result differs from the stored
    /// rows; empty when it is the same.
    private func recheck(_ record: ChangeRecord) throws -> [String] {
        let outcome = try Planner(database: database).plan(record.request)
        return outcome.violations + (try planDifferences(record.id)) + (try currentCapacityViolations(outcome))
    }

    private func planDifferences(_ changeID: Int) throws -> [String] {
        let missing = try database.scalarInt(
            """
            SELECT count(*) FROM (
                SELECT node_id, action, model FROM change_placements WHERE change_id = ?
                EXCEPT SELECT node_id, action, model FROM temp.plan_rows)
            """, changeID) ?? 0
        let extra = try database.scalarInt(
            """
            SELECT count(*) FROM (
                SELECT node_id, action, model FROM temp.plan_rows
                EXCEPT SELECT node_id, action, model FROM change_placements WHERE change_id = ?)
            """, changeID) ?? 0
        guard missing + extra > 0 else { return [] }
        return ["planning it again gives different placements (\(missing) planned rows are gone, \(extra) are new); plan it again"]
    }

    private func apply(_ record: ChangeRecord, outcome: PlanOutcome, newRevision: Int) throws {
        let history = historyWriter()
        var container = outcome.container
        var containerID = container?.id
        for edit in outcome.edits {
            switch edit {
            case .insertContainer(let name, let memoryMB, let millicores, let customer):
                try database.run(
                    "INSERT INTO containers (name, memory_mb, cpu_millicores, customer) VALUES (?, ?, ?, ?)",
                    name, memoryMB, millicores, customer)
                containerID = Int(database.lastInsertRowID)
                container = ContainerRef(id: containerID!, name: name, memoryMB: memoryMB, millicores: millicores, customer: customer)
                try database.run("UPDATE changes SET container_id = ? WHERE id = ?", containerID, record.id)
                try history.recordRegistration(container!, revision: newRevision, change: record.id)
            case .deleteContainer:
                try history.record(
                    .containerUnregistered, revision: newRevision, change: record.id,
                    container: container.map(HistoryWriter.Subject.init))
                try database.run("DELETE FROM containers WHERE id = ?", containerID)
            case .setBalloon(let depth?):
                try database.run(
                    "INSERT INTO balloon_claims (container_id, depth) VALUES (?, ?) ON CONFLICT (container_id) DO UPDATE SET depth = excluded.depth",
                    containerID, depth)
            case .setBalloon(nil):
                try database.run("DELETE FROM balloon_claims WHERE container_id = ?", containerID)
            case .addFogTargets(let nodes):
                for node in nodes {
                    try database.run("INSERT INTO fog_claims (container_id, node_id) VALUES (?, ?)", containerID, node)
                }
            case .removeFogTargets(let nodes):
                for node in nodes {
                    try database.run("DELETE FROM fog_claims WHERE container_id = ? AND node_id = ?", containerID, node)
                }
            case .addMicro(let node):
                try database.run("INSERT INTO micro_claims (container_id, node_id) VALUES (?, ?)", containerID, node)
            case .removeMicro(let node):
                try database.run("DELETE FROM micro_claims WHERE container_id = ? AND node_id = ?", containerID, node)
            }
        }

        try history.recordRemovalsAndRemodels(change: record.id, container: containerID ?? -1, revision: newRevision)
        // Removals first, so a node never holds more than it will after the change.
        try database.run(
            """
            DELETE FROM placements WHERE container_id = ?
                AND node_id IN (SELECT node_id FROM change_placements WHERE change_id = ? AND action = 'remove')
            """, containerID, record.id)
        try database.run(
            """
            UPDATE placements SET model = cp.model FROM change_placements cp
            WHERE cp.change_id = ? AND cp.action = 'remodel' AND placements.container_id = ? AND placements.node_id = cp.node_id
            """, record.id, containerID)
        try database.run(
            """
            INSERT INTO placements (container_id, node_id, model)
            SELECT ?, node_id, model FROM change_placements WHERE change_id = ? AND action = 'add' ORDER BY node_id
            """, containerID, record.id)
        try history.recordAdditions(change: record.id, container: containerID ?? -1, revision: newRevision)

        try database.run("UPDATE state SET revision = ? WHERE id = 1", newRevision)
        try database.run(
            "UPDATE changes SET status = 'deployed', deployed_revision = ?, decided_by = ?, decided_at = ? WHERE id = ?",
            newRevision, options.actor, history.at, record.id)
        try history.record(
            .changeDeployed, revision: newRevision, change: record.id,
            container: container.map(HistoryWriter.Subject.init) ?? Self.subject(of: record.request, container: nil))
    }

    private func recordFailure(_ id: Int, _ error: PraaSError) throws {
        try database.transaction(.immediate) {
            let record = try changeRecord(id)
            guard record.status == .approved else { return }
            let stale = error.kind == .conflict
            let history = historyWriter()
            try database.run(
                "UPDATE changes SET status = ?, reasons = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                (stale ? ChangeStatus.stale : .failed).rawValue, Self.jsonArray([error.message]), options.actor, history.at, id)
            try history.record(
                stale ? .changeStale : .changeFailed, revision: try revision(inTransaction: ()), change: id,
                container: try subject(of: record), details: "{\"reasons\":\(Self.jsonArray([error.message]))}")
        }
    }

    private func markStale(_ record: ChangeRecord, currentRevision: Int) throws {
        let message = Self.staleError(record.id, base: record.baseRevision, current: currentRevision).message
        let history = historyWriter()
        try database.run(
            "UPDATE changes SET status = 'stale', reasons = ?, decided_by = ?, decided_at = ? WHERE id = ?",
            Self.jsonArray([message]), options.actor, history.at, record.id)
        try history.record(
            .changeStale, revision: currentRevision, change: record.id, container: try subject(of: record),
            details: "{\"reasons\":\(Self.jsonArray([message]))}")
    }

    /// The container a request concerns, for history rows: the registered one
    /// when it exists, else the name and customer the request gives.
    static func subject(of request: ChangeRequest, container: ContainerRef?) -> HistoryWriter.Subject {
        if let container {
            return HistoryWriter.Subject(container)
        }
        if case .register(let name, _, _, let customer) = request {
            return HistoryWriter.Subject(id: nil, name: name, customer: customer)
        }
        return HistoryWriter.Subject(id: nil, name: request.container, customer: nil)
    }

    private func subject(of record: ChangeRecord) throws -> HistoryWriter.Subject {
        let container = try database.firstRow(
            "SELECT id, name, memory_mb, cpu_millicores, customer FROM containers WHERE name = ?", record.request.container
        ) { row in
            ContainerRef(id: row.int(0), name: row.string(1), memoryMB: row.int64(2), millicores: row.int64(3), customer: row.string(4))
        }
        return Self.subject(of: record.request, container: container)
    }

    static func staleError(_ id: Int, base: Int, current: Int) -> PraaSError {
        PraaSError(
            .conflict,
            "change \(id) was planned at revision \(base), but the state is now at revision \(current); "
                + "plan the change again")
    }

    private func requireStatus(_ record: ChangeRecord, _ expected: ChangeStatus, step: String) throws {
        guard record.status != expected else { return }
        let id = record.id
        let message: String
        switch record.status {
        case .planned:
            message = "change \(id) is not approved yet; approve it with 'praas-db approve \(id)'"
        case .approved:
            message = "change \(id) is already approved; deploy it with 'praas-db deploy \(id)'"
        case .deployed:
            message = "change \(id) is already deployed (revision \(record.deployedRevision ?? 0)); a change deploys only once"
        case .rejected:
            message = "change \(id) was rejected (\(record.reasons.first ?? "no reason given")) and cannot be \(step); plan a new change"
        case .failed:
            message = "change \(id) failed (\(record.reasons.first ?? "no reason given")) and cannot be \(step); plan it again"
        case .stale:
            message = "change \(id) is stale: it was planned at revision \(record.baseRevision), and the state has moved on; plan it again"
        }
        throw PraaSError(.conflict, message)
    }

    private func revision(inTransaction: Void) throws -> Int {
        try database.scalarInt("SELECT revision FROM state WHERE id = 1") ?? 0
    }

    static func jsonArray(_ lines: [String]) -> String {
        var json = JSONWriter(indent: 0)
        json.beginArray()
        for line in lines {
            json.string(line)
        }
        json.endArray()
        return String(decoding: json.bytes, as: UTF8.self)
    }
}
