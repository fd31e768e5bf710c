import Suggestions

/// A node's id, name and depth, as the planner reads them.
struct NodeRef: Equatable {
    let id: Int
    let name: String
    let depth: Int
}

/// A registered container's id, name, needs and customer, as the planner reads them.
struct ContainerRef: Equatable {
    let id: Int
    let name: String
    let memoryMB: Int64
    let millicores: Int64
    let customer: String
}

/// An edit to a container's claims (or to the container itself) that a deploy
/// applies together with the placement rows.
enum ClaimEdit: Equatable {
    case insertContainer(name: String, memoryMB: Int64, millicores: Int64, customer: String)
    case deleteContainer
    case setBalloon(depth: Int?)
    case addFogTargets([Int])
    case removeFogTargets([Int])
    case addMicro(Int)
    case removeMicro(Int)
}

/// The result of planning a request, apart from the placement rows, which are
/// in `temp.plan_rows`.
struct PlanOutcome {
    /// The rule violations, one sentence each; empty when the plan is valid.
    var violations: [String] = []
    var edits: [ClaimEdit] = []
    /// The container; nil for a register.
    var container: ContainerRef?
    /// The container's memory and CPU, also for a register.
    var memoryMB: Int64 = 0
    var millicores: Int64 = 0
}

/// Works out what a request does to the placements, from the container's
/// claims and the current placements, without changing either.
///
/// The placement rows go to the connection's temporary table `plan_rows`
/// (node id, action, model). Reads are by index, so the work is proportional
/// to the nodes the request touches, except for a balloon, which touches every
/// node down to its depth.
struct Planner {
    let database: Database

    /// Plans `request` into `temp.plan_rows`.
    ///
    /// - Throws: `.notFound` for an unknown container or node, `.invalidArgument`
    ///   for an invalid value. Rule violations are returned, not thrown.
    func plan(_ request: ChangeRequest) throws -> PlanOutcome {
        try database.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS plan_rows (
                node_id INTEGER PRIMARY KEY, action TEXT NOT NULL, model TEXT NOT NULL
            );
            DELETE FROM temp.plan_rows;
            """)
        switch request {
        case .register(let name, let memoryMB, let millicores, let customer):
            return try planRegister(name: name, memoryMB: memoryMB, millicores: millicores, customer: customer)
        case .unregister(let name):
            return try planUnregister(try container(named: name))
        case .balloon(let name, let depth):
            return try planBalloon(try container(named: name), depth: depth)
        case .fog(let name, let nodeNames):
            let container = try container(named: name)
            return try planFog(container, targets: try distinctNodes(nodeNames))
        case .retract(let name, let nodeName):
            return try planRetract(try container(named: name), node: try node(named: nodeName))
        case .place(let name, let nodeName):
            return try planPlace(try container(named: name), node: try node(named: nodeName))
        case .remove(let name, let nodeName):
            return try planRemove(try container(named: name), node: try node(named: nodeName))
        case .move(let name, let fromName, let toName):
            let container = try container(named: name)
            let from = try node(named: fromName)
            let to = try node(named: toName)
            guard from != to else {
                throw PraaSError.invalidArgument("--from and --to are both \(from.name); a move needs two different nodes")
            }
            return try planMove(container, from: from, to: to)
        }
    }

    // MARK: - Operations

    private func planRegister(name: String, memoryMB: Int64, millicores: Int64, customer: String) throws -> PlanOutcome {
        if let problem = Name.problem(with: name) {
            throw PraaSError.invalidArgument("the container name \(JSONWriter.quoted(name)) \(problem)")
        }
        if let problem = Name.problem(with: customer, maxLength: 256) {
            throw PraaSError.invalidArgument("the customer \(JSONWriter.quoted(customer)) \(problem)")
        }
        guard (1...Quantity.maxMemoryMB).contains(memoryMB) else {
            throw PraaSError.invalidArgument("memory must be from 1 to \(Quantity.maxMemoryMB) MB, not \(memoryMB)")
        }
        guard (1...Quantity.maxMillicores).contains(millicores) else {
            throw PraaSError.invalidArgument(
                "CPU must be from 0.001 to \(Quantity.formatCores(Quantity.maxMillicores)) cores, not \(Quantity.formatCores(millicores))")
        }
        guard let root = try rootNode() else {
            throw PraaSError(.notFound, "the database has no nodes; load a topology with 'praas-db init --topology oslo-80' or 'praas-db import FILE' first")
        }

        var outcome = PlanOutcome(memoryMB: memoryMB, millicores: millicores)
        let key = Name.collisionKey(name)
        if let existing = try allContainerNames().first(where: { Name.collisionKey($0) == key }) {
            // Swift's == ignores Unicode normalization, so only the scalars tell an exact repeat apart.
            let isExactRepeat = existing.unicodeScalars.elementsEqual(name.unicodeScalars)
            let how = isExactRepeat ? "" : " (names that differ only in letter case or Unicode normalization are the same)"
            outcome.violations.append("container \(JSONWriter.quoted(existing)) is already registered\(how)")
            return outcome
        }
        try addRow(root.id, .add, .balloon)
        outcome.edits = [.insertContainer(name: name, memoryMB: memoryMB, millicores: millicores, customer: customer), .setBalloon(depth: 0)]
        return outcome
    }

    private func planUnregister(_ container: ContainerRef) throws -> PlanOutcome {
        var outcome = outcome(for: container)
        let count = try database.scalarInt("SELECT count(*) FROM placements WHERE container_id = ?", container.id) ?? 0
        if count > 0 {
            let sample = try database.rows(
                "SELECT n.name FROM placements p JOIN nodes n ON n.id = p.node_id WHERE p.container_id = ? ORDER BY n.id LIMIT 5",
                container.id
            ) { $0.string(0) }
            let list = sample.joined(separator: ", ") + (count > sample.count ? ", ..." : "")
            outcome.violations.append(
                "\(container.name) still runs on \(count) node\(count == 1 ? "" : "s") (\(list)); shrink its balloon, "
                    + "retract its fog and remove its placements first")
            return outcome
        }
        outcome.edits = [.setBalloon(depth: nil), .deleteContainer]
        return outcome
    }

    private func planBalloon(_ container: ContainerRef, depth: Int) throws -> PlanOutcome {
        guard depth >= 0 else {
            throw PraaSError.invalidArgument("the balloon depth must be 0 or more, not \(depth)")
        }
        var outcome = outcome(for: container)
        let current = try balloonDepth(of: container)
        let deepest = try database.scalarInt("SELECT max(depth) FROM nodes") ?? 0
        if depth > deepest {
            outcome.violations.append("depth \(depth) is deeper than the network, whose deepest nodes are at depth \(deepest)")
            return outcome
        }
        if current == depth {
            outcome.violations.append("\(container.name)'s balloon already has depth \(depth)")
            return outcome
        }

        if current == nil || depth > current! {
            // Growing: every node in the new depths that does not hold the container yet.
            try database.run(
                """
                INSERT INTO temp.plan_rows (node_id, action, model)
                SELECT n.id, 'add', 'balloon' FROM nodes n
                WHERE n.depth > ? AND n.depth <= ?
                    AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.container_id = ? AND p.node_id = n.id)
                """,
                current ?? -1, depth, container.id)
        } else {
            // Shrinking: the placements below the new depth go, unless a fog target or a
            // micromanagement claim still claims the node.
            let fogNodes = try fogClaimedNodes(of: container, targets: try fogTargets(of: container))
            let microNodes = try microClaims(of: container)
            try database.forEachRow(
                """
                SELECT p.node_id, p.model FROM placements p JOIN nodes n ON n.id = p.node_id
                WHERE p.container_id = ? AND n.depth > ? AND n.depth <= ?
                """,
                [container.id, depth, current!]
            ) { row in
                let node = row.int(0)
                let model = PlacementModel(rawValue: row.string(1)) ?? .balloon
                let keeper: PlacementModel? = fogNodes.contains(node) ? .fog : microNodes.contains(node) ? .micro : nil
                if let keeper {
                    if model == .balloon {
                        try addRow(node, .remodel, keeper)
                    }
                } else {
                    try addRow(node, .remove, model)
                }
            }
        }
        outcome.edits = [.setBalloon(depth: depth)]
        return outcome
    }

    private func planFog(_ container: ContainerRef, targets: [NodeRef]) throws -> PlanOutcome {
        var outcome = outcome(for: container)
        let existing = try fogTargets(of: container)
        for target in targets where existing.contains(target.id) {
            outcome.violations.append("\(target.name) is already a fog target of \(container.name)")
        }
        guard outcome.violations.isEmpty else { return outcome }

        var seen = Set<Int>()
        for target in targets {
            for node in try path(from: target.id) where seen.insert(node).inserted {
                if try placementModel(of: container, on: node) == nil {
                    try addRow(node, .add, .fog)
                }
            }
        }
        outcome.edits = [.addFogTargets(targets.map(\.id))]
        return outcome
    }

    private func planRetract(_ container: ContainerRef, node: NodeRef) throws -> PlanOutcome {
        var outcome = outcome(for: container)
        let targets = try fogTargets(of: container)
        var retracted: [Int] = []
        var kept: [Int] = []
        for target in targets.sorted() {
            if try path(from: target).contains(node.id) {
                retracted.append(target)
            } else {
                kept.append(target)
            }
        }
        guard !retracted.isEmpty else {
            let names = try targets.sorted().map { try nodeName($0) }
            let reach = names.isEmpty ? "it has no fog targets" : "its fog targets are \(names.joined(separator: ", "))"
            outcome.violations.append("\(container.name)'s fog does not reach \(node.name); \(reach)")
            return outcome
        }

        let keptNodes = try fogClaimedNodes(of: container, targets: Set(kept))
        let microNodes = try microClaims(of: container)
        let balloon = try balloonDepth(of: container)
        var seen = Set<Int>()
        for target in retracted {
            for pathNode in try path(from: target) where seen.insert(pathNode).inserted && !keptNodes.contains(pathNode) {
                guard let model = try placementModel(of: container, on: pathNode) else { continue }
                var keeper: PlacementModel?
                if let balloon, try nodeDepth(pathNode) <= balloon {
                    keeper = .balloon
                } else if microNodes.contains(pathNode) {
                    keeper = .micro
                }
                if let keeper {
                    if model == .fog {
                        try addRow(pathNode, .remodel, keeper)
                    }
                } else {
                    try addRow(pathNode, .remove, model)
                }
            }
        }
        outcome.edits = [.removeFogTargets(retracted)]
        return outcome
    }

    private func planPlace(_ container: ContainerRef, node: NodeRef) throws -> PlanOutcome {
        var outcome = outcome(for: container)
        if let model = try placementModel(of: container, on: node.id) {
            outcome.violations.append("\(container.name) already runs on \(node.name) (placed by the \(model.displayName) model)")
            return outcome
        }
        try addRow(node.id, .add, .micro)
        outcome.edits = [.addMicro(node.id)]
        return outcome
    }

    private func planRemove(_ container: ContainerRef, node: NodeRef) throws -> PlanOutcome {
        var outcome = outcome(for: container)
        guard let model = try placementModel(of: container, on: node.id) else {
            outcome.violations.append("\(container.name) does not run on \(node.name)")
            return outcome
        }
        if let rule = try removalBlocker(container, node: node) {
            outcome.violations.append(rule)
            return outcome
        }
        try addRow(node.id, .remove, model)
        outcome.edits = try removalEdits(container, node: node)
        return outcome
    }

    private func planMove(_ container: ContainerRef, from: NodeRef, to: NodeRef) throws -> PlanOutcome {
        var outcome = outcome(for: container)
        guard let model = try placementModel(of: container, on: from.id) else {
            outcome.violations.append("\(container.name) does not run on \(from.name), so it cannot move from there")
            return outcome
        }
        if let rule = try removalBlocker(container, node: from) {
            outcome.violations.append(rule)
        }
        if let existing = try placementModel(of: container, on: to.id) {
            outcome.violations.append("\(container.name) already runs on \(to.name) (placed by the \(existing.displayName) model)")
        }
        guard outcome.violations.isEmpty else { return outcome }
        try addRow(to.id, .add, .micro)
        try addRow(from.id, .remove, model)
        outcome.edits = try removalEdits(container, node: from) + [.addMicro(to.id)]
        return outcome
    }

    /// Why the container cannot leave `node` by micromanagement: the node is inside
    /// its balloon or on its fog's path. Returns nil when it can.
    private func removalBlocker(_ container: ContainerRef, node: NodeRef) throws -> String? {
        let targets = try fogTargets(of: container)
        let balloon = try balloonDepth(of: container)
        var fogTargetsThrough: [String] = []
        for target in targets.sorted() where try path(from: target).contains(node.id) {
            fogTargetsThrough.append(try nodeName(target))
        }
        if !fogTargetsThrough.isEmpty {
            return "\(node.name) is on \(container.name)'s fog path to \(fogTargetsThrough.joined(separator: ", ")); "
                + "pull the fog back with 'praas-db retract \(container.name) --node \(node.name)' instead"
        }
        if let balloon, node.depth <= balloon {
            // The root alone, held by a balloon of depth 0, may go: that ends the balloon.
            if balloon == 0 {
                return nil
            }
            let shallower = node.depth - 1
            return "\(node.name) (depth \(node.depth)) is inside \(container.name)'s balloon (depth \(balloon)); "
                + (shallower >= 0
                    ? "shrink the balloon first with 'praas-db balloon \(container.name) --depth \(shallower)'"
                    : "shrink the balloon to depth 0 first with 'praas-db balloon \(container.name) --depth 0'")
        }
        return nil
    }

    /// Returns the claim edits that release `node`: its micromanagement claim, and
    /// the balloon when the node is the root held by a balloon of depth 0.
    private func removalEdits(_ container: ContainerRef, node: NodeRef) throws -> [ClaimEdit] {
        var edits: [ClaimEdit] = []
        if try microClaims(of: container).contains(node.id) {
            edits.append(.removeMicro(node.id))
        }
        if let balloon = try balloonDepth(of: container), node.depth <= balloon {
            edits.append(.setBalloon(depth: nil))
        }
        return edits
    }

    // MARK: - Rows

    private func addRow(_ node: Int, _ action: PlacementAction, _ model: PlacementModel) throws {
        try database.run("INSERT INTO temp.plan_rows (node_id, action, model) VALUES (?, ?, ?)", node, action.rawValue, model.rawValue)
    }

    private func outcome(for container: ContainerRef) -> PlanOutcome {
        PlanOutcome(container: container, memoryMB: container.memoryMB, millicores: container.millicores)
    }

    // MARK: - Lookups

    func container(named name: String) throws -> ContainerRef {
        if let container = try database.firstRow(
            "SELECT id, name, memory_mb, cpu_millicores, customer FROM containers WHERE name = ?", name,
            as: { row in
                ContainerRef(
                    id: row.int(0), name: row.string(1), memoryMB: row.int64(2), millicores: row.int64(3),
                    customer: row.string(4))
            })
        {
            return container
        }
        var message = "container \(JSONWriter.quoted(name)) not found"
        let names = try allContainerNames()
        if let match = names.first(where: { $0 == name }) {
            // Equal to Swift but not to SQLite: the same letters in another Unicode normalization form.
            message += "; a container is registered as \(Self.escapingNonASCII(match)), which has the same letters as "
                + "the \(Self.escapingNonASCII(name)) given in another Unicode normalization form; give the name as it was registered"
        } else if let match = EditDistance.closest(to: name, among: names) {
            message += "; did you mean \(JSONWriter.quoted(match))?"
        } else {
            message += "; 'praas-db containers' lists the registered containers"
        }
        throw PraaSError(.notFound, message)
    }

    /// Returns `name` in double quotes with every character outside ASCII written
    /// as `\u{...}`, so two spellings that look the same on screen can be distinguished.
    static func escapingNonASCII(_ name: String) -> String {
        "\"" + name.unicodeScalars.map { $0.isASCII ? String($0) : "\\u{\(String($0.value, radix: 16, uppercase: true))}" }.joined() + "\""
    }

    func node(named name: String) throws -> NodeRef {
        if let node = try database.firstRow(
            "SELECT id, name, depth FROM nodes WHERE name = ?", name,
            as: { NodeRef(id: $0.int(0), name: $0.string(1), depth: $0.int(2)) })
        {
            return node
        }
        var message = "node \(JSONWriter.quoted(name)) not found"
        // A case-insensitive match is the likely typo; scanning every name for an
        // edit-distance match would cost a full pass over a large network.
        if let match = try database.scalarString("SELECT name FROM nodes WHERE name = ? COLLATE NOCASE LIMIT 1", name) {
            message += "; did you mean \(JSONWriter.quoted(match))?"
        } else if let count = try database.scalarInt("SELECT count(*) FROM nodes"), count > 0,
            let last = try database.scalarString("SELECT name FROM nodes ORDER BY id DESC LIMIT 1"),
            let first = try database.scalarString("SELECT name FROM nodes ORDER BY id LIMIT 1")
        {
            message += "; the network's \(count) nodes are named \(first) to \(last)"
        }
        throw PraaSError(.notFound, message)
    }

    private func distinctNodes(_ names: [String]) throws -> [NodeRef] {
        guard !names.isEmpty else {
            throw PraaSError.invalidArgument("a fog needs at least one target node (--node N)")
        }
        var nodes: [NodeRef] = []
        for name in names {
            let node = try node(named: name)
            if nodes.contains(node) {
                throw PraaSError.invalidArgument("the node \(node.name) is given twice")
            }
            nodes.append(node)
        }
        return nodes
    }

    private func rootNode() throws -> NodeRef? {
        try database.firstRow("SELECT id, name, depth FROM nodes WHERE parent_id IS NULL") {
            NodeRef(id: $0.int(0), name: $0.string(1), depth: $0.int(2))
        }
    }

    private func allContainerNames() throws -> [String] {
        try database.rows("SELECT name FROM containers ORDER BY id") { $0.string(0) }
    }

    private func nodeName(_ id: Int) throws -> String {
        try database.scalarString("SELECT name FROM nodes WHERE id = ?", id) ?? "#\(id)"
    }

    private func nodeDepth(_ id: Int) throws -> Int {
        try database.scalarInt("SELECT depth FROM nodes WHERE id = ?", id) ?? 0
    }

    /// Returns the node and its ancestors up to the root, found by index lookups.
    func path(from node: Int) throws -> [Int] {
        var nodes: [Int] = []
        var current: Int? = node
        while let id = current {
            nodes.append(id)
            current = try database.scalarInt("SELECT parent_id FROM nodes WHERE id = ?", id)
        }
        return nodes
    }

    func placementModel(of container: ContainerRef, on node: Int) throws -> PlacementModel? {
        try database.scalarString("SELECT model FROM placements WHERE container_id = ? AND node_id = ?", container.id, node)
            .flatMap(PlacementModel.init(rawValue:))
    }

    func balloonDepth(of container: ContainerRef) throws -> Int? {
        try database.scalarInt("SELECT depth FROM balloon_claims WHERE container_id = ?", container.id)
    }

    func fogTargets(of container: ContainerRef) throws -> Set<Int> {
        Set(try database.rows("SELECT node_id FROM fog_claims WHERE container_id = ?", container.id) { $0.int(0) })
    }

    func microClaims(of container: ContainerRef) throws -> Set<Int> {
        Set(try database.rows("SELECT node_id FROM micro_claims WHERE container_id = ?", container.id) { $0.int(0) })
    }

    /// Returns every node on the path of one of `targets`.
    func fogClaimedNodes(of container: ContainerRef, targets: Set<Int>) throws -> Set<Int> {
        var nodes = Set<Int>()
        for target in targets {
            for node in try path(from: target) {
                // Paths share their upper part, so the walk can stop at a node already seen.
                if !nodes.insert(node).inserted {
                    break
                }
            }
        }
        return nodes
    }
}

extension PlacementModel {
    /// The model's name in messages: "balloon", "fog", "micromanagement".
    public var displayName: String {
        switch self {
        case .balloon: "balloon"
        case .fog: "fog"
        case .micro: "micromanagement"
        }
    }
}
