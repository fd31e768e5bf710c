extension Repository {
    /// Loads a checked state file into a database that has no nodes yet; the
    /// loaded state becomes revision 1. Runs in one transaction, so either all of
    /// the file is in the database or none of it.
    ///
    /// Reports the phases "inserting nodes" and "inserting placements" to
    /// `RepositoryOptions.progress`.
    ///
    /// - Parameter source: where the state came from, stored in `state.topology`:
    ///   a file name or a built-in topology's name.
    /// - Throws: `.conflict` when the database already holds a topology.
    public func importState(_ file: StateFile, source: String) throws {
        try perform("importing '\(source)'") {
            // The indexes on names and parents take rows in an order unlike the ids, so
            // with SQLite's default cache of about 2 MB their pages are written to the
            // log, read back and written again many times over. A cache of 256 bytes per
            // new row, more than a row and its index entries take, keeps each page in
            // memory until the commit. SQLite takes the cache's memory only as pages are used.
            let defaultCacheSize = try database.scalarInt("PRAGMA cache_size") ?? -2000
            let rows = file.nodes.reduce(file.nodes.count) { $0 + $1.containers.count }
            let neededKiB = 2048 + rows / 4
            if neededKiB > -defaultCacheSize {
                try database.execute("PRAGMA cache_size = -\(neededKiB)")
            }
            defer { try? database.execute("PRAGMA cache_size = \(defaultCacheSize)") }

            try database.transaction(.immediate) {
                let existing = try nodeCount()
                guard existing == 0 else {
                    throw PraaSError(
                        .conflict,
                        "database '\(database.path)' already holds a topology (\(existing) nodes at revision "
                            + "\(try revision())); import into a new database file with --db NEW.db")
                }
                let containerIDs = try insertContainers(file.containers)
                try insertNodes(file.nodes)
                let attribution = ModelAttribution(file)
                try insertPlacements(file.nodes, containerIDs: containerIDs, attribution: attribution)
                try insertClaims(attribution, containerIDs: containerIDs)
                try database.run("UPDATE state SET revision = 1, topology = ? WHERE id = 1", source)

                let history = historyWriter()
                var details = JSONWriter(indent: 0)
                details.beginObject()
                details.key("source")
                details.string(source)
                details.key("nodes")
                details.integer(file.nodes.count)
                details.endObject()
                try history.record(.topologyLoaded, revision: 1, details: String(decoding: details.bytes, as: UTF8.self))
                for container in file.containers {
                    let reference = ContainerRef(
                        id: Int(containerIDs[container.name]!), name: container.name, memoryMB: container.memoryMB,
                        millicores: container.millicores, customer: container.customer)
                    try history.recordRegistration(reference, revision: 1, change: nil)
                }
                try history.recordAllPlacementsAdded(revision: 1)
            }
        }
    }

    private func insertContainers(_ containers: [StateFile.Container]) throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for container in containers {
            try database.run(
                "INSERT INTO containers (name, memory_mb, cpu_millicores, customer) VALUES (?, ?, ?, ?)",
                container.name, container.memoryMB, container.millicores, container.customer)
            ids[container.name] = database.lastInsertRowID
        }
        return ids
    }

    /// Inserts nodes parents first, because the tree triggers check each node's
    /// parent as the node is inserted.
    private func insertNodes(_ nodes: [StateFile.Node]) throws {
        let maxDepth = nodes.map(\.depth).max() ?? 0
        var byDepth = Array(repeating: [Int](), count: maxDepth + 1)
        for (index, node) in nodes.enumerated() {
            byDepth[node.depth].append(index)
        }
        let insert = try database.statement(
            "INSERT INTO nodes (id, name, parent_id, depth, memory_mb, cpu_millicores, households) VALUES (?, ?, ?, ?, ?, ?, ?)")
        var meter = ProgressMeter(options.progress, phase: "inserting nodes", total: nodes.count, unit: .items("nodes"))
        for indices in byDepth {
            for index in indices {
                let node = nodes[index]
                try insert.bind([
                    index, node.name, node.parent.map { SQLValue.integer(Int64($0)) } ?? .null, node.depth,
                    node.memoryMB, node.millicores, Households.encode(node.households),
                ])
                try insert.step()
                meter.advance()
            }
        }
        meter.finish()
    }

    private func insertPlacements(
        _ nodes: [StateFile.Node], containerIDs: [String: Int64], attribution: ModelAttribution
    ) throws {
        let insert = try database.statement("INSERT INTO placements (container_id, node_id, model) VALUES (?, ?, ?)")
        let total = nodes.reduce(0) { $0 + $1.containers.count }
        var meter = ProgressMeter(options.progress, phase: "inserting placements", total: total, unit: .items("placements"))
        defer { meter.finish() }
        for (index, node) in nodes.enumerated() {
            for name in node.containers {
                guard let containerID = containerIDs[name] else {
                    preconditionFailure("a checked state file places unregistered container '\(name)'")
                }
                try insert.bind([containerID, index, attribution.model(of: name, on: index).rawValue])
                try insert.step()
                meter.advance()
            }
        }
    }

    private func insertClaims(_ attribution: ModelAttribution, containerIDs: [String: Int64]) throws {
        for (name, claims) in attribution.claims {
            let containerID = containerIDs[name]!
            if let depth = claims.balloonDepth {
                try database.run("INSERT INTO balloon_claims (container_id, depth) VALUES (?, ?)", containerID, depth)
            }
            for node in claims.fogTargets.sorted() {
                try database.run("INSERT INTO fog_claims (container_id, node_id) VALUES (?, ?)", containerID, node)
            }
            for node in claims.microNodes.sorted() {
                try database.run("INSERT INTO micro_claims (container_id, node_id) VALUES (?, ?)", containerID, node)
            }
        }
    }
}

/// The `households` column: a JSON array of household names.
enum Households {
    static func encode(_ households: [String]) -> String {
        guard !households.isEmpty else { return "[]" }
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (index, household) in households.enumerated() {
            if index > 0 {
                bytes.append(UInt8(ascii: ","))
            }
            JSONWriter.appendQuoted(household, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes the column. The schema's CHECK guarantees a JSON array; an element
    /// that is not a string is kept as its JSON text.
    static func decode(_ text: String) -> [String] {
        guard text != "[]", case .array(let elements)? = try? JSONValue.parse(text) else { return [] }
        return elements.map { element in
            if case .scalar(.string(let name)) = element {
                return name
            }
            if case .scalar(let scalar) = element {
                return scalar.json
            }
            return ""
        }
    }
}
