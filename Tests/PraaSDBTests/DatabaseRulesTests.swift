import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// The capacity and tree rules that the schema's triggers enforce on every
/// write, tried from a raw connection that bypasses the repository.
@Suite struct DatabaseRulesTests {
    /// Returns every row of the tables the rules guard, as text, to show that a
    /// rejected statement left them as they were.
    static func snapshot(_ database: Database) throws -> [String] {
        let queries = [
            "SELECT id, name, parent_id, depth, memory_mb, cpu_millicores, households FROM nodes ORDER BY id",
            "SELECT id, name, memory_mb, cpu_millicores, customer FROM containers ORDER BY id",
            "SELECT id, container_id, node_id FROM placements ORDER BY id",
        ]
        return try queries.flatMap { sql in
            try database.rows(sql) { row in
                (0..<row.count).map { row.value($0).description }.joined(separator: "|")
            }
        }
    }

    /// Opens the small tree's database on a second, raw connection.
    static func rawConnection(in directory: TemporaryDirectory) throws -> Database {
        _ = try SmallTree.makeDatabase(in: directory)
        return try Database(path: directory.file("praas.db"))
    }

    /// Runs `sql` and checks that a trigger rejected it with `message` and that
    /// no row changed.
    static func expectRejected(
        _ sql: String, message: String, in database: Database, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try snapshot(database)
        let error = try #require(throws: DatabaseError.self, sourceLocation: sourceLocation) {
            try database.execute(sql)
        }
        #expect(error.message == message, sourceLocation: sourceLocation)
        #expect(error.isConstraintViolation, sourceLocation: sourceLocation)
        #expect(try snapshot(database) == before, sourceLocation: sourceLocation)
    }

    @Test func snapshotShowsSmallTree() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        #expect(
            try Self.snapshot(database) == [
                "0|N0||0|8192|16000|[]",
                "1|N1|0|1|4096|8000|[]",
                "2|N2|0|1|4096|8000|[\"h1\",\"h2\"]",
                "3|N3|1|2|1024|1000|[\"h3\"]",
                "4|N4|1|2|1024|2000|[]",
                "1|hbo|256|200|HBO",
                "1|1|0",
                "2|1|1",
                "3|1|3",
            ])
    }

    // MARK: - Capacity

    @Test func placementBeyondMemoryFails() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        try database.execute("INSERT INTO containers (name, memory_mb, cpu_millicores, customer) VALUES ('big', 800, 100, 'Big')")
        // N3 has 1024 MB, and hbo already uses 256 MB of it.
        try Self.expectRejected(
            "INSERT INTO placements (container_id, node_id) SELECT id, 3 FROM containers WHERE name = 'big'",
            message: "capacity: the node's memory is exceeded", in: database)
    }

    @Test func placementBeyondCPUFails() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        try database.execute("INSERT INTO containers (name, memory_mb, cpu_millicores, customer) VALUES ('busy', 64, 801, 'Busy')")
        // N3 has 1 core, and hbo already uses 0.2 cores of it.
        try Self.expectRejected(
            "INSERT INTO placements (container_id, node_id) SELECT id, 3 FROM containers WHERE name = 'busy'",
            message: "capacity: the node's CPU is exceeded", in: database)
    }

    @Test func placementFillingNodeExactlySucceeds() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        try database.execute(
            """
            INSERT INTO containers (name, memory_mb, cpu_millicores, customer) VALUES ('rest', 768, 800, 'Rest');
            INSERT INTO placements (container_id, node_id) SELECT id, 3 FROM containers WHERE name = 'rest';
            """)
        let usage = try database.firstRow("SELECT memory_used_mb, cpu_used_millicores FROM node_usage WHERE node_id = 3") { row in
            [row.int(0), row.int(1)]
        }
        #expect(usage == [1024, 1000])
    }

    @Test func movingPlacementBeyondCapacityFails() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        try database.execute(
            """
            INSERT INTO containers (name, memory_mb, cpu_millicores, customer) VALUES ('big', 900, 100, 'Big');
            INSERT INTO placements (container_id, node_id) SELECT id, 4 FROM containers WHERE name = 'big';
            """)
        try Self.expectRejected(
            "UPDATE placements SET node_id = 3 WHERE node_id = 4",
            message: "capacity: the node's memory is exceeded", in: database)
    }

    @Test func shrinkingNodeBelowUseFails() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        try Self.expectRejected(
            "UPDATE nodes SET memory_mb = 255 WHERE id = 0",
            message: "capacity: the node's containers need more than the new capacity", in: database)
        try Self.expectRejected(
            "UPDATE nodes SET cpu_millicores = 199 WHERE id = 3",
            message: "capacity: the node's containers need more than the new capacity", in: database)
    }

    @Test func growingContainerBeyondNodeFails() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        // hbo runs on N3, which has 1024 MB and 1 core.
        try Self.expectRejected(
            "UPDATE containers SET memory_mb = 1025 WHERE name = 'hbo'",
            message: "capacity: a node holding the container would exceed its memory or CPU", in: database)
        try Self.expectRejected(
            "UPDATE containers SET cpu_millicores = 1001 WHERE name = 'hbo'",
            message: "capacity: a node holding the container would exceed its memory or CPU", in: database)
    }

    // MARK: - Tree shape

    @Test func secondRootFails() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        try Self.expectRejected(
            "INSERT INTO nodes (id, name, parent_id, depth, memory_mb, cpu_millicores) VALUES (5, 'N5', NULL, 0, 1024, 1000)",
            message: "tree: the tree already has a root", in: database)
    }

    @Test func leafBecomingRootFails() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        try Self.expectRejected(
            "UPDATE nodes SET parent_id = NULL, depth = 0 WHERE id = 4",
            message: "UNIQUE constraint failed: nodes.depth", in: database)
    }

    @Test func wrongDepthFails() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        try Self.expectRejected(
            "INSERT INTO nodes (id, name, parent_id, depth, memory_mb, cpu_millicores) VALUES (5, 'N5', 3, 2, 512, 1000)",
            message: "tree: a node's depth must be its parent's depth plus one", in: database)
        try Self.expectRejected(
            "UPDATE nodes SET depth = 3 WHERE id = 4",
            message: "tree: a node's depth must be its parent's depth plus one", in: database)
    }

    @Test func missingParentFails() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        try Self.expectRejected(
            "INSERT INTO nodes (id, name, parent_id, depth, memory_mb, cpu_millicores) VALUES (5, 'N5', 99, 3, 512, 1000)",
            message: "tree: the parent node does not exist", in: database)
        try Self.expectRejected(
            "UPDATE nodes SET parent_id = 99 WHERE id = 4",
            message: "tree: the parent node does not exist", in: database)
    }

    @Test func nodeWithChildrenKeepsDepth() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        // Under N2, N1 would have depth 2, which its parent allows, but its children would be left at depth 2 too.
        try Self.expectRejected(
            "UPDATE nodes SET parent_id = 2, depth = 2 WHERE id = 1",
            message: "tree: a node with children cannot change its id or depth", in: database)
        try Self.expectRejected(
            "UPDATE nodes SET id = 7 WHERE id = 1",
            message: "tree: a node with children cannot change its id or depth", in: database)
    }

    @Test func leafMayMoveToAnotherParent() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        #expect(try database.run("UPDATE nodes SET parent_id = 2 WHERE id = 4") == 1)
        #expect(try database.scalarInt("SELECT parent_id FROM nodes WHERE id = 4") == 2)
    }

    @Test func placementNeedsExistingNode() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        try Self.expectRejected(
            "INSERT INTO placements (container_id, node_id) VALUES (1, 42)",
            message: "FOREIGN KEY constraint failed", in: database)
    }

    @Test func containerNameIgnoresCase() throws {
        let directory = TemporaryDirectory()
        let database = try Self.rawConnection(in: directory)
        try Self.expectRejected(
            "INSERT INTO containers (name, memory_mb, cpu_millicores, customer) VALUES ('HBO', 256, 200, 'HBO')",
            message: "UNIQUE constraint failed: containers.name", in: database)
    }

    // MARK: - The sqlite3 shell

    @Test func sqliteShellCannotCommitOverCapacity() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("praas.db")
        _ = try SmallTree.makeDatabase(in: directory)
        let shell = try #require(
            ProcessRunner.path(of: "sqlite3"),
            "the sqlite3 shell is not on PATH; install Debian's sqlite3 package (.ci/run does)")

        // The shell runs with foreign keys off, as it does by default, and keeps going
        // after an error, so COMMIT commits whatever the triggers let through.
        let script = """
            BEGIN;
            INSERT INTO containers (name, memory_mb, cpu_millicores, customer) VALUES ('big', 800, 100, 'Big');
            INSERT INTO placements (container_id, node_id) SELECT id, 3 FROM containers WHERE name = 'big';
            COMMIT;
            SELECT count(*) FROM placements WHERE node_id = 3;

            """
        let result = try ProcessRunner.run(shell, [path], input: script)
        #expect(result.exitCode == 1)
        #expect(result.standardError == "Runtime error near line 3: capacity: the node's memory is exceeded (19)\n")
        #expect(result.standardOutput == "1\n")

        let database = try Database(path: path, mode: .readOnly)
        #expect(try database.scalarInt("SELECT count(*) FROM placements") == 3)
        #expect(try database.scalarInt("SELECT memory_used_mb FROM node_usage WHERE node_id = 3") == 256)
        #expect(try database.scalarInt("SELECT count(*) FROM containers WHERE name = 'big'") == 1)
    }
}
