import Foundation

extension Repository {
    /// Writes the current state as a state file in the prototype's format,
    /// streaming it to `sink` in pieces, from one consistent snapshot. Reports
    /// the phase "writing nodes" to `RepositoryOptions.progress`.
    ///
    /// - Throws: `.constraintViolation` when the node names do not follow the
    ///   prototype's `N0 ... N<n-1>` numbering, naming the nodes in the way.
    public func exportState(to sink: @escaping ([UInt8]) throws -> Void) throws {
        try perform("exporting the state") {
            try database.transaction(.deferred) {
                try writeState(
                    containers: try containerTable(),
                    placementsSQL: "SELECT node_id, container_id FROM placements ORDER BY node_id, id",
                    placementArguments: [],
                    sink: sink)
            }
        }
    }

    /// Writes the current state to the file at `path`, replacing it only once the
    /// new file is complete and synced to disk.
    public func exportState(toFile path: String) throws {
        try AtomicFile.write(to: path) { sink in
            try exportState(to: sink)
        }
    }

    /// Returns the current state as a checked `StateFile`, in memory.
    public func currentState() throws -> StateFile {
        var bytes: [UInt8] = []
        try exportState { bytes.append(contentsOf: $0) }
        return try StateFileDecoder.decode(Data(bytes), source: "the exported state")
    }

    /// The prototype finds node N<k> at position k of `nodelist`, so the names
    /// must be exactly N0 to N<n-1>, which is what ids 0 to n-1 hold after an import.
    private func checkExportableNames() throws {
        let count = try nodeCount()
        let misnamed = try database.rows(
            "SELECT id, name FROM nodes WHERE name IS NOT 'N' || id ORDER BY id LIMIT 10"
        ) { row in "\(row.string(1)) (id \(row.int(0)))" }
        let maxID = try database.scalarInt("SELECT max(id) FROM nodes") ?? -1
        guard misnamed.isEmpty, maxID == count - 1 else {
            var reasons: [String] = []
            if !misnamed.isEmpty {
                reasons.append("these nodes are not named N<id>: \(misnamed.joined(separator: ", "))")
            }
            if maxID != count - 1 {
                reasons.append("the node ids are not 0 to \(count - 1) without gaps (the highest is \(maxID))")
            }
            throw PraaSError(
                .constraintViolation,
                "the state cannot be written in the prototype's format, which finds node N<k> at position k of "
                    + "nodelist: " + reasons.joined(separator: "; "))
        }
    }

    /// Writes a state file of the current nodes with `containers` (by container
    /// id, listed in id order) placed as the rows of `placementsSQL` say: pairs of
    /// node id and container id, ordered by node and then placement order.
    func writeState(
        containers: [Int: StateFile.Container], placementsSQL: String, placementArguments: [SQLBindable],
        sink: @escaping ([UInt8]) throws -> Void
    ) throws {
        try checkExportableNames()
        var writer = StateFileWriter(sink: sink)
        writer.begin()
        for id in containers.keys.sorted() {
            try writer.container(containers[id]!)
        }
        writer.beginNodes()
        try writeNodes(&writer, containers: containers, placementsSQL: placementsSQL, placementArguments: placementArguments)
        try writer.end()
    }

    private func containerTable() throws -> [Int: StateFile.Container] {
        var containers: [Int: StateFile.Container] = [:]
        try database.forEachRow("SELECT id, name, memory_mb, cpu_millicores, customer FROM containers") { row in
            containers[row.int(0)] = StateFile.Container(
                name: row.string(1), memoryMB: row.int64(2), millicores: row.int64(3), customer: row.string(4))
        }
        return containers
    }

    /// Merges three streams ordered by node id: the nodes, their children and
    /// their placements, so the whole network is read in one pass.
    private func writeNodes(
        _ writer: inout StateFileWriter, containers: [Int: StateFile.Container], placementsSQL: String,
        placementArguments: [SQLBindable]
    ) throws {
        let nodes = try Statement(
            connection: database.handle,
            sql: """
                SELECT n.id, n.name, parent.name, n.depth, n.memory_mb, n.cpu_millicores, n.households
                FROM nodes n LEFT JOIN nodes parent ON parent.id = n.parent_id
                ORDER BY n.id
                """)
        let children = try Statement(
            connection: database.handle,
            sql: "SELECT parent_id, name FROM nodes WHERE parent_id IS NOT NULL ORDER BY parent_id, id")
        let placements = try Statement(connection: database.handle, sql: placementsSQL)
        try placements.bind(placementArguments)
        var hasChild = try children.step()
        var hasPlacement = try placements.step()
        var meter = ProgressMeter(options.progress, phase: "writing nodes", total: try nodeCount(), unit: .items("nodes"))

        while try nodes.step() {
            let row = nodes.row
            let id = row.int64(0)

            var childNames: [String] = []
            while hasChild, children.row.int64(0) == id {
                childNames.append(children.row.string(1))
                hasChild = try children.step()
            }

            var containerNames: [String] = []
            var memoryUsed: Int64 = 0
            var millicoresUsed: Int64 = 0
            while hasPlacement, placements.row.int64(0) == id {
                guard let container = containers[placements.row.int(1)] else {
                    // Only a write outside praas-db with foreign keys off leaves such a row.
                    throw PraaSError(
                        .corruptDatabase,
                        "a placement on node \(row.string(1)) refers to container id \(placements.row.int(1)), which "
                            + "does not exist; run 'praas-db check' for every such problem, and restore the database "
                            + "from a backup")
                }
                containerNames.append(container.name)
                memoryUsed += container.memoryMB
                millicoresUsed += container.millicores
                hasPlacement = try placements.step()
            }

            let node = StateFile.Node(
                name: row.string(1),
                parent: nil,
                depth: row.int(3),
                memoryMB: row.int64(4),
                millicores: row.int64(5),
                households: Households.decode(row.string(6)),
                containers: containerNames)
            try writer.node(
                node, parent: row.optionalString(2), children: childNames,
                memoryUsedMB: memoryUsed, millicoresUsed: millicoresUsed)
            meter.advance()
        }
        meter.finish()
    }
}

