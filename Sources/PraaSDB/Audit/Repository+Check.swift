import Foundation

/// The outcome of one invariant that `check` verifies.
public struct CheckResult: Equatable, Sendable {
    /// A short name, such as `capacity`.
    public var name: String
    /// What the check verifies, in a sentence.
    public var description: String
    /// One line per problem found; empty when the check passed.
    public var problems: [String]

    public var passed: Bool { problems.isEmpty }
}

extension Repository {
    /// The most problems a check lists; the rest are counted.
    static let maxListedProblems = 20

    /// Verifies the file and every invariant the database promises: SQLite's
    /// integrity and foreign keys, the schema against the migrations (so dropped
    /// history triggers are found), capacity, the tree's shape, placements
    /// against claims, the history against the placements, and deployed changes
    /// against the history. Reads only.
    public func check() throws -> [CheckResult] {
        try perform("checking the database") {
            try database.transaction(.deferred) {
                [
                    try run("integrity", "SQLite's integrity_check finds no damage in the file.", integrityProblems),
                    try run("foreign_keys", "Every reference between rows points at an existing row.", foreignKeyProblems),
                    try run("schema", "Tables, indexes, views and triggers are exactly those the migrations create.", schemaProblems),
                    try run("capacity", "No node holds more memory or CPU than it has.", capacityProblems),
                    try run("tree", "One root; every other node's depth is its parent's plus one.", treeProblems),
                    try run("claims", "Each container is on exactly the nodes its balloon, fog and micromanagement claims cover.", claimProblems),
                    try run("history", "Replaying the history gives exactly the current placements and revision.", historyProblems),
                    try run("changes", "Each deployed change is recorded in the history with every placement it planned.", changeProblems),
                ]
            }
        }
    }

    private func run(_ name: String, _ description: String, _ body: () throws -> [String]) throws -> CheckResult {
        var problems: [String]
        do {
            problems = try body()
        } catch let error as DatabaseError where !error.isBusy {
            problems = ["the check could not run: \(error.message)"]
        }
        if problems.count > Self.maxListedProblems {
            let extra = problems.count - Self.maxListedProblems
            problems = Array(problems.prefix(Self.maxListedProblems)) + ["... and \(extra) more"]
        }
        return CheckResult(name: name, description: description, problems: problems)
    }

    private func lines(_ sql: String, _ arguments: [SQLBindable] = [], limit: Int = maxListedProblems + 1) throws -> [String] {
        var result: [String] = []
        try database.forEachRow(sql + " LIMIT \(limit)", arguments) { result.append($0.string(0)) }
        return result
    }

    private func integrityProblems() throws -> [String] {
        try lines("SELECT * FROM pragma_integrity_check").filter { $0 != "ok" }
    }

    private func foreignKeyProblems() throws -> [String] {
        try lines(
            """
            SELECT 'row ' || rowid || ' of ' || "table" || ' refers to a missing row of ' || parent
            FROM pragma_foreign_key_check
            """)
    }

    /// Compares every object in `sqlite_schema` with a new database migrated by
    /// this binary.
    private func schemaProblems() throws -> [String] {
        let expected = try Database(path: ":memory:", mode: .readWriteCreate)
        try Migrator().migrate(expected, now: Date(timeIntervalSince1970: 0))
        let query = "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        var wanted: [String: (type: String, sql: String)] = [:]
        try expected.forEachRow(query) { wanted[$0.string(1)] = ($0.string(0), $0.string(2)) }
        var found: [String: (type: String, sql: String)] = [:]
        try database.forEachRow(query) { found[$0.string(1)] = ($0.string(0), $0.string(2)) }

        var problems: [String] = []
        for name in wanted.keys.sorted() {
            let object = wanted[name]!
            if let actual = found[name] {
                if actual.sql != object.sql {
                    problems.append("\(object.type) \(name) differs from the one the migrations create")
                }
            } else {
                problems.append("\(object.type) \(name) is missing")
            }
        }
        for name in found.keys.sorted() where wanted[name] == nil {
            problems.append("\(found[name]!.type) \(name) is not created by any migration")
        }
        return problems
    }

    private func capacityProblems() throws -> [String] {
        try lines(
            """
            SELECT node || ': ' || memory_used_mb || ' of ' || memory_mb || ' MB and ' || cpu_used_millicores || ' of '
                || cpu_millicores || ' millicores used'
            FROM node_usage
            WHERE memory_used_mb > memory_mb OR cpu_used_millicores > cpu_millicores
            """)
    }

    private func treeProblems() throws -> [String] {
        var problems = try lines(
            """
            SELECT n.name || ': depth ' || n.depth || ' but its parent ' || p.name || ' has depth ' || p.depth
            FROM nodes n JOIN nodes p ON p.id = n.parent_id
            WHERE n.depth <> p.depth + 1
            """)
        let roots = try database.scalarInt("SELECT count(*) FROM nodes WHERE parent_id IS NULL") ?? 0
        let nodes = try database.scalarInt("SELECT count(*) FROM nodes") ?? 0
        if nodes > 0, roots != 1 {
            problems.append("\(roots) nodes have no parent; a tree has exactly one root")
        }
        problems += try lines("SELECT name || ': depth ' || depth || ' but it has no parent' FROM nodes WHERE parent_id IS NULL AND depth <> 0")
        return problems
    }

    private func claimProblems() throws -> [String] {
        let claimed = """
            WITH RECURSIVE fog_path (container_id, node_id) AS (
                SELECT container_id, node_id FROM fog_claims
                UNION
                SELECT f.container_id, n.parent_id FROM fog_path f JOIN nodes n ON n.id = f.node_id
                WHERE n.parent_id IS NOT NULL
            ),
            claimed (container_id, node_id) AS (
                SELECT b.container_id, n.id FROM balloon_claims b JOIN nodes n ON n.depth <= b.depth
                UNION SELECT container_id, node_id FROM fog_path
                UNION SELECT container_id, node_id FROM micro_claims
            )
            """
        let unplaced = try lines(
            claimed + """
                SELECT c.name || ' is claimed on ' || n.name || ' but not placed there'
                FROM (SELECT container_id, node_id FROM claimed EXCEPT SELECT container_id, node_id FROM placements) x
                JOIN containers c ON c.id = x.container_id JOIN nodes n ON n.id = x.node_id
                """)
        let unclaimed = try lines(
            claimed + """
                SELECT c.name || ' is placed on ' || n.name || ' but no claim covers it'
                FROM (SELECT container_id, node_id FROM placements EXCEPT SELECT container_id, node_id FROM claimed) x
                JOIN containers c ON c.id = x.container_id JOIN nodes n ON n.id = x.node_id
                """)
        return unplaced + unclaimed
    }

    private func historyProblems() throws -> [String] {
        let replayed = """
            WITH last AS (
                SELECT max(id) AS id FROM history
                WHERE event IN ('placement_added', 'placement_removed', 'placement_remodeled')
                GROUP BY container_id, node_id
            ),
            replayed AS (
                SELECT h.container_id, h.node_id, h.model FROM last JOIN history h ON h.id = last.id
                WHERE h.event <> 'placement_removed'
            )
            """
        // Names come from the history, because a container in it may be unregistered since.
        let names = """
            coalesce((SELECT container FROM history WHERE container_id = x.container_id AND container IS NOT NULL LIMIT 1),
                'container ' || x.container_id)
            || ' on ' || coalesce((SELECT name FROM nodes WHERE id = x.node_id), 'node ' || x.node_id) || ' (' || x.model || ')'
            """
        var problems = try lines(
            replayed + """
                SELECT 'the history has ' || \(names) || ', but the placements do not'
                FROM (SELECT * FROM replayed EXCEPT SELECT container_id, node_id, model FROM placements) x
                """)
        problems += try lines(
            replayed + """
                SELECT 'the placements have ' || \(names) || ', which the history does not record'
                FROM (SELECT container_id, node_id, model FROM placements EXCEPT SELECT * FROM replayed) x
                """)
        let revision = try database.scalarInt("SELECT revision FROM state WHERE id = 1") ?? 0
        let recorded = try database.scalarInt("SELECT max(revision) FROM revisions") ?? 0
        if revision != recorded {
            problems.append("the state is at revision \(revision), but the history's newest revision is \(recorded)")
        }
        return problems
    }

    private func changeProblems() throws -> [String] {
        try lines(
            """
            SELECT 'change ' || c.id || ' is deployed, but the history records '
                || (SELECT count(*) FROM history h WHERE h.change_id = c.id AND h.event LIKE 'placement_%')
                || ' of its ' || (SELECT count(*) FROM change_placements cp WHERE cp.change_id = c.id) || ' placements'
                || CASE WHEN NOT EXISTS (SELECT 1 FROM history h WHERE h.change_id = c.id AND h.event = 'change_deployed'
                        AND h.revision = c.deployed_revision)
                    THEN ' and no deploy at revision ' || c.deployed_revision ELSE '' END
            FROM changes c
            WHERE c.status = 'deployed' AND (
                (SELECT count(*) FROM history h WHERE h.change_id = c.id AND h.event LIKE 'placement_%')
                    <> (SELECT count(*) FROM change_placements cp WHERE cp.change_id = c.id)
                OR NOT EXISTS (SELECT 1 FROM history h WHERE h.change_id = c.id AND h.event = 'change_deployed'
                    AND h.revision = c.deployed_revision))
            """)
    }

    // MARK: - Backup

    /// Writes a consistent copy of the database to `path` with `VACUUM INTO`, while
    /// other processes may go on writing. The copy is written beside `path` first,
    /// synced, and renamed into place, so a crash never leaves a partial backup
    /// there. A crash can leave the partial copy, named `.<name>.<pid>.partial`,
    /// beside `path`.
    ///
    /// - Throws: `.failure` when `path` exists or cannot be written.
    public func backup(to path: String) throws {
        guard !path.isEmpty else {
            throw PraaSError.invalidArgument("the backup's file name is empty; name a new file")
        }
        var status = stat()
        // lstat, so that a symbolic link counts as existing even when its target does not.
        guard lstat(path, &status) != 0 else {
            throw PraaSError(.failure, "'\(path)' already exists; choose a new file name for the backup")
        }
        let (folder, name) = AtomicFile.split(path)
        let temporary = "\(folder)/.\(name).\(getpid()).partial"
        try? FileManager.default.removeItem(atPath: temporary)
        // VACUUM INTO fills an existing empty file, which keeps the owner-only mode it was made with.
        let descriptor = Foundation.open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw PraaSError(.failure, "cannot write the backup beside '\(path)': \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        try perform("backing up to '\(path)'") {
            do {
                try database.run("VACUUM INTO ?", temporary)
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw error
            }
        }
        // SQLite does not sync the file VACUUM INTO writes, and renaming a file whose
        // data is not yet on disk can leave an empty backup after a power loss.
        guard Self.sync(temporary) else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw PraaSError(.failure, "cannot write the backup beside '\(path)': \(reason)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw PraaSError(.failure, "cannot move the backup into place at '\(path)': \(reason)")
        }
        // The rename is durable only once the folder's entry is on disk.
        _ = Self.sync(folder)
    }

    /// Flushes the file or folder at `path` to disk, and returns false with `errno`
    /// set when that fails.
    private static func sync(_ path: String) -> Bool {
        let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return fsync(descriptor) == 0
    }
}
