/// One node's households and the holder that serves them.
public struct NodeProximity: Equatable, Sendable {
    public var node: String
    public var depth: Int
    public var households: Int
    /// The nearest node holding the container; nil when it runs nowhere.
    public var holder: String?
    public var hops: Int?
    public var latencyMicroseconds: Int64?
}

/// A container's proximity to the network's households.
public struct ProximityReport: Equatable, Sendable {
    public var container: String
    public var latency: LatencyModel
    public var summary: ProximitySummary
    /// Each node with households, in node order; empty unless asked for.
    public var nodes: [NodeProximity]
}

extension Repository {
    /// Returns how close `container`'s holders are to the households: the
    /// distribution of hops and latency to the nearest holder, and optionally
    /// each node's share.
    ///
    /// - Parameter budgetMicroseconds: count the households at most this far away.
    /// - Throws: `.notFound` when no container has that name.
    public func proximity(ofContainer container: String, budgetMicroseconds: Int64? = nil, byNode: Bool = false) throws -> ProximityReport {
        try perform("computing the proximity of \(container)") {
            try database.transaction(.deferred) {
                let reference = try Planner(database: database).container(named: container)
                let tree = try loadTreeShape()
                let latency = try latencyModel()
                let holders = try holderFlags(tree: tree, sql: "SELECT node_id FROM placements WHERE container_id = ?", arguments: [reference.id])
                let calculator = ProximityCalculator(tree: tree, latency: latency)
                var report = ProximityReport(
                    container: reference.name, latency: latency,
                    summary: calculator.summary(holders: holders, budgetMicroseconds: budgetMicroseconds), nodes: [])
                if byNode {
                    report.nodes = try nodeProximities(tree: tree, distances: calculator.distances(holders: holders))
                }
                return report
            }
        }
    }

    /// The latency model in force.
    public func latencyModel() throws -> LatencyModel {
        try perform("reading the latency model") {
            var model = try database.firstRow("SELECT access_microseconds, link_microseconds FROM latency_model WHERE id = 1") {
                LatencyModel(accessMicroseconds: $0.int64(0), defaultLinkMicroseconds: $0.int64(1))
            } ?? LatencyModel.defaults
            try database.forEachRow("SELECT depth, microseconds FROM link_latencies") { row in
                model.linkMicrosecondsByDepth[row.int(0)] = row.int64(1)
            }
            return model
        }
    }

    /// Replaces the latency model and records the change in the history.
    ///
    /// - Throws: `.invalidArgument` for a negative or too large latency, or a link depth below 1.
    public func setLatencyModel(_ model: LatencyModel) throws {
        let values = [model.accessMicroseconds, model.defaultLinkMicroseconds] + Array(model.linkMicrosecondsByDepth.values)
        guard values.allSatisfy({ (0...LatencyModel.maxMicroseconds).contains($0) }) else {
            throw PraaSError.invalidArgument("latencies must be from 0 to \(LatencyModel.formatMilliseconds(LatencyModel.maxMicroseconds)) ms")
        }
        guard model.linkMicrosecondsByDepth.keys.allSatisfy({ $0 >= 1 }) else {
            throw PraaSError.invalidArgument("a link's depth is the depth of its lower node, 1 or more")
        }
        let previous = try latencyModel()
        guard previous != model else { return }
        try perform("changing the latency model") {
            try database.transaction(.immediate) {
                try database.run(
                    "UPDATE latency_model SET access_microseconds = ?, link_microseconds = ? WHERE id = 1",
                    model.accessMicroseconds, model.defaultLinkMicroseconds)
                try database.run("DELETE FROM link_latencies")
                for (depth, microseconds) in model.linkMicrosecondsByDepth.sorted(by: { $0.key < $1.key }) {
                    try database.run("INSERT INTO link_latencies (depth, microseconds) VALUES (?, ?)", depth, microseconds)
                }
                try historyWriter().record(
                    .latencyChanged, revision: try revision(),
                    details: "{\"from\":\(Self.latencyJSON(previous)),\"to\":\(Self.latencyJSON(model))}")
            }
        }
    }

    static func latencyJSON(_ model: LatencyModel) -> String {
        var json = JSONWriter(indent: 0)
        json.beginObject()
        json.key("access_microseconds")
        json.raw(String(model.accessMicroseconds))
        json.key("link_microseconds")
        json.raw(String(model.defaultLinkMicroseconds))
        json.key("link_microseconds_by_depth")
        json.beginObject()
        for (depth, microseconds) in model.linkMicrosecondsByDepth.sorted(by: { $0.key < $1.key }) {
            json.key(String(depth))
            json.raw(String(microseconds))
        }
        json.endObject()
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// The most nodes a plan computes proximity for.
    public func planProximityNodeLimit() throws -> Int {
        try perform("reading the settings") {
            try database.scalarInt("SELECT plan_proximity_node_limit FROM settings WHERE id = 1") ?? 0
        }
    }

    /// Sets the most nodes a plan computes proximity for; 0 turns it off.
    public func setPlanProximityNodeLimit(_ limit: Int) throws {
        guard limit >= 0 else {
            throw PraaSError.invalidArgument("the node limit must be 0 or more, not \(limit)")
        }
        try perform("changing the settings") {
            try database.transaction(.immediate) {
                let previous = try database.scalarInt("SELECT plan_proximity_node_limit FROM settings WHERE id = 1") ?? 0
                guard previous != limit else { return }
                try database.run("UPDATE settings SET plan_proximity_node_limit = ? WHERE id = 1", limit)
                try historyWriter().record(
                    .settingChanged, revision: try revision(),
                    details: "{\"setting\":\"plan_proximity_node_limit\",\"from\":\(previous),\"to\":\(limit)}")
            }
        }
    }

    // MARK: - Plans

    /// The proximity of the change's container before and after the change, as
    /// JSON for `changes.proximity`, or nil when the network is over the limit
    /// or the change has no container yet.
    func planProximity(changeID: Int, containerID: Int?) throws -> String? {
        let limit = try database.scalarInt("SELECT plan_proximity_node_limit FROM settings WHERE id = 1") ?? 0
        // Node ids are 0 to n-1 after an import and nodes are never deleted, so the
        // highest id bounds the count by an index lookup instead of a full count.
        let highestID = try database.scalarInt("SELECT max(id) FROM nodes") ?? -1
        guard highestID + 1 <= limit else { return nil }
        let tree = try loadTreeShape()
        let calculator = ProximityCalculator(tree: tree, latency: try latencyModel())
        let before = try holderFlags(
            tree: tree, sql: "SELECT node_id FROM placements WHERE container_id = ?", arguments: [containerID ?? -1])
        let after = try holderFlags(
            tree: tree,
            sql: """
                SELECT node_id FROM placements WHERE container_id = ?1
                    AND node_id NOT IN (SELECT node_id FROM change_placements WHERE change_id = ?2 AND action = 'remove')
                UNION SELECT node_id FROM change_placements WHERE change_id = ?2 AND action = 'add'
                """,
            arguments: [containerID ?? -1, changeID])
        var json = JSONWriter(indent: 0)
        json.beginObject()
        json.key("before")
        Self.write(calculator.summary(holders: before, budgetMicroseconds: nil), into: &json)
        json.key("after")
        Self.write(calculator.summary(holders: after, budgetMicroseconds: nil), into: &json)
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// Writes a summary as the JSON object stored with plans and printed by
    /// `praas-db proximity --format json`.
    public static func write(_ summary: ProximitySummary, into json: inout JSONWriter) {
        json.beginObject()
        json.key("households")
        json.integer(summary.households)
        json.key("nodes_with_households")
        json.integer(summary.nodesWithHouseholds)
        json.key("holders")
        json.integer(summary.holderCount)
        json.key("unserved_households")
        json.integer(summary.unservedHouseholds)
        for (name, distribution, isLatency) in [("hops", summary.hops, false), ("latency_ms", summary.latencyMicroseconds, true)] {
            json.key(name)
            json.beginObject()
            func value(_ number: Int64?) {
                guard let number else { return json.null() }
                json.raw(isLatency ? LatencyModel.formatMilliseconds(number) : String(number))
            }
            json.key("mean")
            let mean = isLatency ? distribution.mean / 1000 : distribution.mean
            json.raw(distribution.households > 0 ? Quantity.formatThreeDecimals(mean) : "null")
            json.key("median")
            value(distribution.median)
            json.key("p95")
            value(distribution.percentile95)
            json.key("max")
            value(distribution.maximum)
            json.key("histogram")
            json.beginArray()
            for entry in distribution.histogram {
                json.beginObject()
                json.key("value")
                value(entry.value)
                json.key("households")
                json.integer(entry.households)
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        if let budget = summary.budgetMicroseconds, let within = summary.householdsWithinBudget {
            json.key("budget_ms")
            json.raw(LatencyModel.formatMilliseconds(budget))
            json.key("households_within_budget")
            json.integer(within)
        }
        json.endObject()
    }

    // MARK: - Loading

    /// Reads the tree's shape, parents before children, with one pass over the nodes.
    func loadTreeShape() throws -> TreeShape {
        var tree = TreeShape()
        var indexByID: [Int: Int32] = [:]
        var parentIDs: [Int] = []
        try database.forEachRow("SELECT id, coalesce(parent_id, -1), depth, household_count FROM nodes ORDER BY depth, id") { row in
            indexByID[row.int(0)] = Int32(tree.ids.count)
            tree.ids.append(row.int(0))
            parentIDs.append(row.int(1))
            tree.depths.append(Int32(row.int(2)))
            tree.households.append(Int32(row.int(3)))
        }
        tree.parents = parentIDs.map { $0 < 0 ? -1 : indexByID[$0] ?? -1 }
        return tree
    }

    private func holderFlags(tree: TreeShape, sql: String, arguments: [SQLBindable]) throws -> [Bool] {
        var indexByID: [Int: Int] = [:]
        indexByID.reserveCapacity(tree.count)
        for (index, id) in tree.ids.enumerated() {
            indexByID[id] = index
        }
        var flags = Array(repeating: false, count: tree.count)
        try database.forEachRow(sql, arguments) { row in
            if let index = indexByID[row.int(0)] {
                flags[index] = true
            }
        }
        return flags
    }

    private func nodeProximities(tree: TreeShape, distances: [NodeDistance]) throws -> [NodeProximity] {
        var names: [Int: String] = [:]
        try database.forEachRow("SELECT id, name FROM nodes WHERE household_count > 0 OR id IN (SELECT node_id FROM placements)") { row in
            names[row.int(0)] = row.string(1)
        }
        var result: [(id: Int, proximity: NodeProximity)] = []
        for index in 0..<tree.count where tree.households[index] > 0 {
            let distance = distances[index]
            let proximity = NodeProximity(
                node: names[tree.ids[index]] ?? "#\(tree.ids[index])", depth: Int(tree.depths[index]),
                households: Int(tree.households[index]),
                holder: distance.holder.map { names[tree.ids[$0]] ?? "#\(tree.ids[$0])" },
                hops: distance.hops, latencyMicroseconds: distance.latencyMicroseconds)
            result.append((tree.ids[index], proximity))
        }
        return result.sorted { $0.id < $1.id }.map(\.proximity)
    }
}

/// A plan's proximity of the change's container, before and after the change.
public struct PlanProximity: Equatable, Sendable {
    public var before: ProximitySummary
    public var after: ProximitySummary

    /// Reads the JSON stored in `changes.proximity`.
    init?(json text: String) {
        guard case .object(let members)? = try? JSONValue.parse(text),
            let before = members.first(where: { $0.key == "before" }).flatMap({ ProximitySummary(json: $0.value) }),
            let after = members.first(where: { $0.key == "after" }).flatMap({ ProximitySummary(json: $0.value) })
        else { return nil }
        self.before = before
        self.after = after
    }
}

extension ProximitySummary {
    /// Reads a summary written by `Repository.write(_:into:)`.
    init?(json value: JSONValue) {
        guard case .object(let members) = value else { return nil }
        func member(_ key: String) -> JSONValue? { members.first { $0.key == key }?.value }
        func integer(_ key: String) -> Int? {
            if case .scalar(.number(let text))? = member(key) { return Int(text) }
            return nil
        }
        func distribution(_ key: String, latency: Bool) -> Distribution? {
            guard case .object(let fields)? = member(key),
                case .array(let entries)? = fields.first(where: { $0.key == "histogram" })?.value
            else { return nil }
            var histogram: [(Int64, Int)] = []
            for entry in entries {
                guard case .object(let pair) = entry,
                    case .scalar(.number(let valueText))? = pair.first(where: { $0.key == "value" })?.value,
                    case .scalar(.number(let countText))? = pair.first(where: { $0.key == "households" })?.value,
                    let count = Int(countText)
                else { return nil }
                let parsed = latency ? try? LatencyModel.parseMilliseconds(valueText, notation: .json).get() : Int64(valueText)
                guard let number = parsed else { return nil }
                histogram.append((number, count))
            }
            return Distribution(histogram: histogram)
        }
        guard let households = integer("households"), let nodes = integer("nodes_with_households"),
            let holders = integer("holders"), let unserved = integer("unserved_households"),
            let hops = distribution("hops", latency: false), let latency = distribution("latency_ms", latency: true)
        else { return nil }
        self.init(
            households: households, nodesWithHouseholds: nodes, holderCount: holders, unservedHouseholds: unserved,
            hops: hops, latencyMicroseconds: latency, budgetMicroseconds: nil, householdsWithinBudget: nil)
    }
}
