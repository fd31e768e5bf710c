import CSQLite
import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// Read-only queries on a real Oslo database whose writer stays open, so the
/// `-wal` file contains the import and any write would show in it.
@Suite struct ReadOnlyDatabaseTests {
    /// The bytes of a database file and of its `-wal` file (nil when absent).
    struct FileSnapshot: Equatable {
        let database: Data
        let writeAheadLog: Data?

        init(of path: String) throws {
            database = try Data(contentsOf: URL(fileURLWithPath: path))
            writeAheadLog = FileManager.default.contents(atPath: path + "-wal")
        }
    }

    /// An Oslo database with its writer, which the caller keeps open.
    struct Fixture {
        let directory = TemporaryDirectory()
        let writer: Repository
        var path: String { directory.file("praas.db") }

        init() throws {
            writer = try Repository.create(at: directory.file("praas.db"))
            try writer.importState(try BuiltInTopology.named("oslo-80").stateFile(), source: "oslo-80")
        }

        func open() throws -> ReadOnlyDatabase {
            try ReadOnlyDatabase.open(at: path)
        }
    }

    static func rows(_ query: ReadOnlyQuery) throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        try query.forEachRow { rows.append($0) }
        return rows
    }

    static func rows(_ sql: String, _ parameters: [QueryParameter] = [], in database: ReadOnlyDatabase) throws -> [[SQLValue]] {
        try rows(database.prepare(sql, parameters: parameters))
    }

    // MARK: - Results

    @Test func queryReturnsColumnsAndRows() throws {
        let fixture = try Fixture()
        let query = try fixture.open().prepare(
            "SELECT depth, count(*) AS nodes, sum(memory_mb) AS memory_mb FROM nodes GROUP BY depth ORDER BY depth")
        #expect(query.columnNames == ["depth", "nodes", "memory_mb"])
        let rows = try Self.rows(query)
        #expect(rows.count == 7)
        #expect(rows.first == [.integer(0), .integer(1), .integer(8192)])
        #expect(rows.last == [.integer(6), .integer(9), .integer(4608)])
    }

    @Test func valuesKeepTheirTypes() throws {
        let fixture = try Fixture()
        let rows = try Self.rows(
            "SELECT name, parent_id, cpu_millicores / 1000.0, x'00ff' FROM nodes WHERE id = 0", in: fixture.open())
        #expect(rows == [[.text("N0"), .null, .real(16), .blob([0x00, 0xFF])]])
    }

    @Test func recursiveQueryRuns() throws {
        let fixture = try Fixture()
        let rows = try Self.rows(
            """
            WITH RECURSIVE path(id, name, parent_id) AS (
                SELECT id, name, parent_id FROM nodes WHERE name = 'N79'
                UNION ALL
                SELECT nodes.id, nodes.name, nodes.parent_id FROM nodes JOIN path ON nodes.id = path.parent_id
            )
            SELECT count(*) FROM path
            """, in: fixture.open())
        #expect(rows == [[.integer(7)]])
    }

    @Test func readOnlyPragmasRun() throws {
        let fixture = try Fixture()
        let database = try fixture.open()
        #expect(try Self.rows("PRAGMA user_version", in: database) == [[.integer(Int64(Migration.latestVersion))]])
        let columns = try Self.rows("PRAGMA TABLE_INFO(state)", in: database).map { $0[1] }
        #expect(columns == [.text("id"), .text("revision"), .text("topology")])
    }

    /// The allowed PRAGMAs run as table-valued functions too, and their rows can
    /// be filtered and joined, while the database stays unchanged.
    @Test func pragmaFunctionsRun() throws {
        let fixture = try Fixture()
        let database = try fixture.open()
        let before = try FileSnapshot(of: fixture.path)
        #expect(
            try Self.rows("SELECT name FROM pragma_table_info('state') ORDER BY cid", in: database)
                == [[.text("id")], [.text("revision")], [.text("topology")]])
        #expect(try Self.rows("SELECT user_version FROM pragma_user_version", in: database) == [[.integer(Int64(Migration.latestVersion))]])
        #expect(
            try Self.rows("SELECT name FROM pragma_index_list('nodes') WHERE origin = 'c' ORDER BY name", in: database)
                == [[.text("nodes_by_depth")], [.text("nodes_by_parent")], [.text("nodes_single_root")]])
        #expect(try Self.rows("SELECT count(*) FROM pragma_quick_check", in: database) == [[.integer(1)]])
        let joined = try Self.rows(
            """
            SELECT count(*) FROM sqlite_schema s JOIN pragma_table_info(s.name) c
            WHERE s.type = 'table' AND s.name = 'nodes'
            """, in: database)
        #expect(joined == [[.integer(7)]])
        // A function takes no value to set, so it cannot write what the PRAGMA statement could.
        let setting = try #require(throws: PraaSError.self) { try database.prepare("SELECT * FROM pragma_user_version(5)") }
        #expect(setting.message == "invalid query: too many arguments on pragma_user_version() - max 0")
        #expect(try FileSnapshot(of: fixture.path) == before)
    }

    @Test func queryRunsAgainFromStart() throws {
        let fixture = try Fixture()
        let query = try fixture.open().prepare("SELECT name FROM nodes WHERE depth = 0")
        #expect(try Self.rows(query) == [[.text("N0")]])
        #expect(try Self.rows(query) == [[.text("N0")]])
    }

    @Test func trailingSemicolonAndCommentAllowed() throws {
        let fixture = try Fixture()
        let rows = try Self.rows("SELECT 1; -- done\n /* really */ ;", in: fixture.open())
        #expect(rows == [[.integer(1)]])
    }

    // MARK: - Parameters

    @Test func parametersBindByEachPrefix() throws {
        let fixture = try Fixture()
        let database = try fixture.open()
        let cases: [(sql: String, name: String)] = [
            ("SELECT name FROM nodes WHERE name = :node", "node"),
            ("SELECT name FROM nodes WHERE name = :node", ":node"),
            ("SELECT name FROM nodes WHERE name = @node", "node"),
            ("SELECT name FROM nodes WHERE name = @node", "@node"),
            ("SELECT name FROM nodes WHERE name = $node", "node"),
            ("SELECT name FROM nodes WHERE name = $node", "$node"),
            ("SELECT name FROM nodes WHERE name = ?1", "1"),
            ("SELECT name FROM nodes WHERE name = ?1", "?1"),
            ("SELECT name FROM nodes WHERE name = ?", "1"),
        ]
        for (sql, name) in cases {
            let rows = try Self.rows(sql, [QueryParameter(name: name, text: "N13")], in: database)
            #expect(rows == [[.text("N13")]], "\(name) in \(sql)")
        }
    }

    @Test func bareNameBindsEverySpelling() throws {
        let fixture = try Fixture()
        let rows = try Self.rows("SELECT :x, @x, $x", [QueryParameter(name: "x", text: "a")], in: fixture.open())
        #expect(rows == [[.text("a"), .text("a"), .text("a")]])
    }

    @Test func integerTextBindsAsInteger() throws {
        let fixture = try Fixture()
        let parameters = ["42", "-7", "007", "1.5", "+1", "N1"].enumerated().map { offset, text in
            QueryParameter(name: String(offset + 1), text: text)
        }
        let rows = try Self.rows(
            "SELECT typeof(?1), typeof(?2), typeof(?3), typeof(?4), typeof(?5), typeof(?6)", parameters,
            in: fixture.open())
        #expect(rows == [["integer", "integer", "text", "text", "text", "text"].map(SQLValue.text)])
    }

    @Test func integerParameterMatchesIntegerColumn() throws {
        let fixture = try Fixture()
        let rows = try Self.rows(
            "SELECT count(*) FROM nodes WHERE depth = :depth AND memory_mb * 1 >= :memory",
            [QueryParameter(name: "depth", text: "1"), QueryParameter(name: "memory", text: "4096")],
            in: fixture.open())
        #expect(rows == [[.integer(9)]])
    }

    @Test func hostileValueMatchedLiterally() throws {
        let fixture = try Fixture()
        let database = try fixture.open()
        let hostile = "N0'; DELETE FROM nodes; --\n\"x\"); DROP TABLE nodes; SELECT ('"
        let parameters = [QueryParameter(name: "name", text: hostile)]

        #expect(try Self.rows("SELECT count(*) FROM nodes WHERE name = :name", parameters, in: database) == [[.integer(0)]])
        #expect(try Self.rows("SELECT :name", parameters, in: database) == [[.text(hostile)]])
        #expect(try Self.rows("SELECT count(*) FROM nodes", in: database) == [[.integer(80)]])
    }

    @Test func unknownParameterIsNamed() throws {
        let fixture = try Fixture()
        let database = try fixture.open()
        let error = try #require(throws: PraaSError.self) {
            try database.prepare("SELECT :node, ?2", parameters: [QueryParameter(name: "nodes", text: "N1")])
        }
        #expect(error.kind == .invalidArgument)
        #expect(error.message == "the query has no parameter 'nodes'; its parameters are ':node', '?2'")
    }

    @Test func parameterForQueryWithoutParameters() throws {
        let fixture = try Fixture()
        let database = try fixture.open()
        let error = try #require(throws: PraaSError.self) {
            try database.prepare("SELECT 1", parameters: [QueryParameter(name: "1", text: "x")])
        }
        #expect(error.message == "the query has no parameter '1'; it has no parameters")
    }

    @Test func missingParameterIsNamed() throws {
        let fixture = try Fixture()
        let database = try fixture.open()
        let named = try #require(throws: PraaSError.self) {
            try database.prepare("SELECT :node, @depth", parameters: [QueryParameter(name: "node", text: "N1")])
        }
        #expect(named.kind == .invalidArgument)
        #expect(named.message == "missing value for parameter '@depth'; pass it with --param depth VALUE")

        let numbered = try #require(throws: PraaSError.self) {
            try database.prepare("SELECT ?, ?", parameters: [QueryParameter(name: "1", text: "a")])
        }
        #expect(numbered.message == "missing value for parameter '?2'; pass it with --param 2 VALUE")
    }

    @Test func parameterGivenTwice() throws {
        let fixture = try Fixture()
        let database = try fixture.open()
        let error = try #require(throws: PraaSError.self) {
            try database.prepare(
                "SELECT :node",
                parameters: [QueryParameter(name: "node", text: "N1"), QueryParameter(name: ":node", text: "N2")])
        }
        #expect(error.message == "parameter ':node' was given more than once; give it once")
    }

    // MARK: - Invalid queries

    @Test func syntaxErrorShowsSQLiteMessage() throws {
        let fixture = try Fixture()
        let database = try fixture.open()
        let error = try #require(throws: PraaSError.self) {
            try database.prepare("SELEC name FROM nodes")
        }
        #expect(error.kind == .invalidArgument)
        #expect(error.message == "invalid query: near \"SELEC\": syntax error")
    }

    @Test func unknownTableShowsSQLiteMessage() throws {
        let fixture = try Fixture()
        let error = try #require(throws: PraaSError.self) {
            try fixture.open().prepare("SELECT * FROM node")
        }
        #expect(error.message == "invalid query: no such table: node")
    }

    @Test func emptyQueryRejected() throws {
        let fixture = try Fixture()
        let database = try fixture.open()
        for sql in ["", "  ", "-- nothing", ";"] {
            let error = try #require(throws: PraaSError.self) {
                try database.prepare(sql)
            }
            #expect(error.message == "the query is empty; pass one SQL statement, such as 'SELECT name FROM nodes'", "\(sql)")
        }
    }

    @Test func nulCharacterRejected() throws {
        let fixture = try Fixture()
        let error = try #require(throws: PraaSError.self) {
            try fixture.open().prepare("SELECT 1\0; DELETE FROM nodes")
        }
        #expect(error.message == "the query contains a NUL character; remove it")
    }

    @Test func runtimeErrorIsFailure() throws {
        let fixture = try Fixture()
        let query = try fixture.open().prepare("SELECT abs(-9223372036854775807 - 1)")
        let error = try #require(throws: PraaSError.self) {
            try query.forEachRow { _ in }
        }
        #expect(error.kind == .failure)
        #expect(error.message == "the query failed: integer overflow")
    }

    // MARK: - Writes

    static let pragmaHint =
        "; the PRAGMAs it runs, as statements or as functions such as pragma_table_info(), are table_info, table_xinfo, table_list, index_list, index_info, index_xinfo, "
        + "foreign_key_list, foreign_key_check, integrity_check, quick_check, and, without a value, user_version "
        + "and application_id"

    /// Every way to write that `praas-db sql` must reject, with the rejection's
    /// message up to ": 'praas-db sql' is read-only".
    static func writeAttempts(in directory: TemporaryDirectory) -> [(sql: String, refused: String, hint: String)] {
        [
            ("INSERT INTO nodes (name, depth, memory_mb, cpu_millicores) VALUES ('x', 1, 1, 1)", "INSERT into table 'nodes'", ""),
            ("UPDATE nodes SET memory_mb = 1", "UPDATE of column 'nodes.memory_mb'", ""),
            ("DELETE FROM placements", "DELETE from table 'placements'", ""),
            ("REPLACE INTO state (id, revision) VALUES (1, 99)", "INSERT into table 'state'", ""),
            (
                "INSERT INTO settings (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET require_distinct_approver = 1",
                "INSERT into table 'settings'", ""
            ),
            ("WITH doomed AS (SELECT id FROM nodes) DELETE FROM nodes WHERE id IN doomed", "DELETE from table 'nodes'", ""),
            ("CREATE TABLE extra (a)", "CREATE TABLE", ""),
            ("CREATE TEMP TABLE nodes (name TEXT)", "CREATE TEMP TABLE", ""),
            ("CREATE TEMPORARY VIEW busy AS SELECT * FROM nodes", "CREATE TEMPORARY VIEW", ""),
            ("CREATE VIEW busy AS SELECT * FROM nodes", "CREATE VIEW", ""),
            ("CREATE TEMP TRIGGER spy AFTER INSERT ON nodes BEGIN SELECT 1; END", "CREATE TEMP TRIGGER", ""),
            ("CREATE TRIGGER spy AFTER INSERT ON nodes BEGIN SELECT 1; END", "CREATE TRIGGER", ""),
            ("CREATE INDEX extra ON nodes (memory_mb)", "CREATE INDEX", ""),
            ("CREATE VIRTUAL TABLE words USING fts5(word)", "CREATE VIRTUAL TABLE", ""),
            ("DROP TABLE placements", "DROP TABLE", ""),
            ("DROP VIEW IF EXISTS busy", "DROP VIEW", ""),
            ("DROP TRIGGER IF EXISTS missing", "DROP TRIGGER", ""),
            ("ALTER TABLE nodes ADD COLUMN extra TEXT", "ALTER TABLE 'nodes'", ""),
            ("ALTER TABLE nodes RENAME TO old_nodes", "ALTER TABLE 'nodes'", ""),
            ("ATTACH '\(directory.file("other.db"))' AS other", "ATTACH of '\(directory.file("other.db"))'", ""),
            ("DETACH main", "DETACH of 'main'", ""),
            ("VACUUM", "VACUUM", ""),
            ("VACUUM INTO '\(directory.file("copy.db"))'", "VACUUM INTO", ""),
            ("REINDEX", "REINDEX", ""),
            ("REINDEX nodes", "REINDEX", ""),
            ("ANALYZE", "ANALYZE", ""),
            ("PRAGMA user_version = 5", "PRAGMA user_version = 5", pragmaHint),
            ("PRAGMA application_id = 1", "PRAGMA application_id = 1", pragmaHint),
            ("PRAGMA journal_mode = delete", "PRAGMA journal_mode = delete", pragmaHint),
            ("PRAGMA writable_schema = 1", "PRAGMA writable_schema = 1", pragmaHint),
            ("PRAGMA query_only = 0", "PRAGMA query_only = 0", pragmaHint),
            ("PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys = OFF", pragmaHint),
            ("SELECT load_extension('/tmp/evil')", "the function load_extension()", ""),
            ("SELECT * FROM pragma_journal_mode", "the table-valued function pragma_journal_mode()", pragmaHint),
            ("SELECT * FROM pragma_database_list", "the table-valued function pragma_database_list()", pragmaHint),
            ("SELECT 1; DELETE FROM nodes", "a second statement ('DELETE FROM nodes')", "; run one statement at a time"),
            ("SELECT 1;\nDROP TABLE nodes;", "a second statement ('DROP TABLE nodes;')", "; run one statement at a time"),
            ("BEGIN IMMEDIATE", "BEGIN", ""),
            ("COMMIT", "COMMIT", ""),
            ("SAVEPOINT before", "SAVEPOINT 'before'", ""),
            ("EXPLAIN DELETE FROM nodes", "DELETE from table 'nodes'", ""),
        ]
    }

    @Test func everyWriteIsRejected() throws {
        let fixture = try Fixture()
        let database = try fixture.open()
        let before = try FileSnapshot(of: fixture.path)
        #expect(before.writeAheadLog?.isEmpty == false)

        for attempt in Self.writeAttempts(in: fixture.directory) {
            let error = try #require(throws: PraaSError.self, "\(attempt.sql)") {
                try Self.rows(attempt.sql, in: database)
            }
            #expect(error.kind == .invalidArgument, "\(attempt.sql)")
            #expect(error.message == "\(attempt.refused) is not allowed: 'praas-db sql' is read-only\(attempt.hint)")
        }

        #expect(try FileSnapshot(of: fixture.path) == before)
        #expect(!FileManager.default.fileExists(atPath: fixture.directory.file("other.db")))
        #expect(!FileManager.default.fileExists(atPath: fixture.directory.file("copy.db")))
        #expect(try Self.rows("SELECT count(*) FROM nodes", in: database) == [[.integer(80)]])
        #expect(try Self.rows("SELECT count(*) FROM temp.sqlite_schema", in: database) == [[.integer(0)]])
    }

    @Test func lowerLayersRejectWithoutAuthorizer() throws {
        let fixture = try Fixture()
        let connection = try fixture.open()
        let before = try FileSnapshot(of: fixture.path)
        connection.database.authorizer = nil

        let insert = try #require(throws: DatabaseError.self) {
            try connection.database.run("UPDATE nodes SET memory_mb = 1")
        }
        #expect(insert.code == SQLITE_READONLY)
        #expect(insert.message == "attempt to write a readonly database")

        let temporary = try #require(throws: DatabaseError.self) {
            try connection.database.execute("CREATE TEMP TABLE shadow (a)")
        }
        #expect(temporary.code == SQLITE_READONLY)
        #expect(try FileSnapshot(of: fixture.path) == before)
    }

    // MARK: - Opening

    @Test func missingFileIsNotFound() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("none.db")
        let error = try #require(throws: PraaSError.self) {
            try ReadOnlyDatabase.open(at: path)
        }
        #expect(error.kind == .fileNotFound)
        #expect(
            error.message
                == "database '\(path)' does not exist; create it with 'praas-db init' or 'praas-db import FILE', "
                + "or point --db (or PRAAS_DB) at an existing database")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func foreignDatabaseRejected() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("other.db")
        try Database(path: path, mode: .readWriteCreate).execute("CREATE TABLE t (a)")
        let error = try #require(throws: PraaSError.self) {
            try ReadOnlyDatabase.open(at: path)
        }
        #expect(error.kind == .corruptDatabase)
        #expect(
            error.message
                == "'\(path)' is an SQLite database of another program (it has tables but no praas-db application id); "
                + "pass a new file with --db")
    }

    @Test func textFileIsCorrupt() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("notes.db", String(repeating: "not a database\n", count: 100))
        let error = try #require(throws: PraaSError.self) {
            try ReadOnlyDatabase.open(at: path)
        }
        #expect(error.kind == .corruptDatabase)
        #expect(
            error.message
                == "'\(path)' is not an SQLite database (it lacks SQLite's file header); point --db (or PRAAS_DB) at a "
                + "praas-db database, or restore this file from a backup if it was one")
    }
}
