import CSQLite
import Foundation
import Testing

@testable import PraaSDB
import TestSupport

@Suite struct DatabaseTests {
    // MARK: - Opening

    @Test func createModeMakesOwnerOnlyFile() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("new.db")
        let database = try Database(path: path, mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (x INTEGER)")

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func readWriteModeNeedsExistingFile() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("missing.db")
        let error = try #require(throws: DatabaseError.self) {
            try Database(path: path, mode: .readWrite)
        }
        #expect(error.extendedCode == SQLITE_CANTOPEN)
        #expect(error.message == "unable to open database file")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func createModeReportsMissingFolder() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("no-such-folder/new.db")
        let error = try #require(throws: DatabaseError.self) {
            try Database(path: path, mode: .readWriteCreate)
        }
        #expect(error.extendedCode == SQLITE_CANTOPEN)
        #expect(error.message == "cannot create \(path): No such file or directory")
    }

    @Test func readOnlyConnectionCannotWrite() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("data.db")
        let writer = try Database(path: path, mode: .readWriteCreate)
        try writer.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)")

        let reader = try Database(path: path, mode: .readOnly)
        #expect(try reader.scalarInt("SELECT x FROM t") == 1)
        let error = try #require(throws: DatabaseError.self) {
            try reader.run("INSERT INTO t VALUES (?)", 2)
        }
        #expect(error.extendedCode == SQLITE_READONLY)
        #expect(error.message == "attempt to write a readonly database")
        #expect(error.sql == "INSERT INTO t VALUES (?)")
        #expect(try writer.scalarInt("SELECT count(*) FROM t") == 1)
    }

    @Test func foreignKeysAreEnforced() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        #expect(try database.scalarInt("PRAGMA foreign_keys") == 1)

        try database.execute(
            """
            CREATE TABLE parent (id INTEGER PRIMARY KEY);
            CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));
            """)
        let error = try #require(throws: DatabaseError.self) {
            try database.run("INSERT INTO child (id, parent_id) VALUES (1, ?)", 7)
        }
        #expect(error.extendedCode == ExtendedResultCode.constraintForeignKey)
        #expect(error.message == "FOREIGN KEY constraint failed")
        #expect(error.isConstraintViolation)
        #expect(try database.scalarInt("SELECT count(*) FROM child") == 0)
    }

    @Test func defensiveModeBlocksSchemaWrites() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (x INTEGER); PRAGMA writable_schema = ON")
        let error = try #require(throws: DatabaseError.self) {
            try database.execute("UPDATE sqlite_schema SET sql = 'CREATE TABLE t (y INTEGER)' WHERE name = 't'")
        }
        #expect(error.message == "table sqlite_master may not be modified")
    }

    // MARK: - Transactions

    @Test func transactionCommitsOnReturn() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (x INTEGER)")
        let result = try database.transaction {
            try database.run("INSERT INTO t VALUES (?)", 1)
            try database.run("INSERT INTO t VALUES (?)", 2)
            return "done"
        }
        #expect(result == "done")
        #expect(database.isAutocommit)
        #expect(try database.scalarInt("SELECT sum(x) FROM t") == 3)
    }

    @Test func transactionRollsBackOnThrow() throws {
        struct Stop: Error {}
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)")
        #expect(throws: Stop.self) {
            try database.transaction {
                try database.run("INSERT INTO t VALUES (?)", 2)
                try database.run("DELETE FROM t WHERE x = ?", 1)
                throw Stop()
            }
        }
        #expect(database.isAutocommit)
        #expect(try database.rows("SELECT x FROM t ORDER BY x") { $0.int(0) } == [1])
    }

    @Test func transactionRollsBackFailedStatement() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        let error = try #require(throws: DatabaseError.self) {
            try database.transaction(.deferred) {
                try database.run("INSERT INTO t VALUES (?)", 1)
                try database.run("INSERT INTO t VALUES (?)", 1)
            }
        }
        #expect(error.extendedCode == ExtendedResultCode.constraintPrimaryKey)
        #expect(database.isAutocommit)
        #expect(try database.scalarInt("SELECT count(*) FROM t") == 0)
    }

    @Test func immediateTransactionTakesWriteLock() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("locks.db")
        let first = try Database(path: path, mode: .readWriteCreate)
        try first.execute("CREATE TABLE t (x INTEGER)")
        let second = try Database(path: path, mode: .readWrite, busyTimeout: 0)

        _ = try first.transaction(.immediate) {
            let error = try #require(throws: DatabaseError.self) {
                try second.execute("BEGIN IMMEDIATE")
            }
            #expect(error.extendedCode == SQLITE_BUSY)
            #expect(error.message == "database is locked")
            #expect(error.isBusy)
        }
        try second.transaction(.immediate) {
            try second.run("INSERT INTO t VALUES (?)", 1)
        }
        #expect(try first.scalarInt("SELECT count(*) FROM t") == 1)
    }

    // MARK: - Errors

    @Test func errorCarriesCodeMessageAndSQL() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        try database.run("INSERT INTO t (x) VALUES (?)", 1)

        let error = try #require(throws: DatabaseError.self) {
            try database.run("INSERT INTO t (x) VALUES (?)", 1)
        }
        #expect(error.extendedCode == ExtendedResultCode.constraintPrimaryKey)
        #expect(error.code == SQLITE_CONSTRAINT)
        #expect(error.message == "UNIQUE constraint failed: t.x")
        #expect(error.sql == "INSERT INTO t (x) VALUES (?)")
        #expect(error.description == "SQLite error 1555: UNIQUE constraint failed: t.x (in: INSERT INTO t (x) VALUES (?))")
    }

    @Test func errorOmitsBoundValues() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (x TEXT NOT NULL UNIQUE)")
        try database.run("INSERT INTO t (x) VALUES (?)", "secret-value")
        let error = try #require(throws: DatabaseError.self) {
            try database.run("INSERT INTO t (x) VALUES (?)", "secret-value")
        }
        #expect(!error.description.contains("secret-value"))
    }

    @Test func prepareErrorNamesSQL() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        let error = try #require(throws: DatabaseError.self) {
            try database.statement("SELEC 1")
        }
        #expect(error.extendedCode == SQLITE_ERROR)
        #expect(error.message == "near \"SELEC\": syntax error")
        #expect(error.sql == "SELEC 1")
    }

    @Test func executeErrorNamesScript() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        let script = "CREATE TABLE t (x INTEGER); INSERT INTO missing VALUES (1)"
        let error = try #require(throws: DatabaseError.self) {
            try database.execute(script)
        }
        #expect(error.extendedCode == SQLITE_ERROR)
        #expect(error.message == "no such table: missing")
        #expect(error.sql == script)
        // Statements before the failing one stay done, as with sqlite3_exec.
        #expect(try database.scalarInt("SELECT count(*) FROM t") == 0)
    }

    @Test func triggerErrorHasExtendedCode() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute(
            """
            CREATE TABLE t (x INTEGER);
            CREATE TRIGGER t_positive BEFORE INSERT ON t WHEN NEW.x < 0
            BEGIN SELECT RAISE(ABORT, 'x must not be negative'); END;
            """)
        let error = try #require(throws: DatabaseError.self) {
            try database.run("INSERT INTO t VALUES (?)", -1)
        }
        #expect(error.extendedCode == ExtendedResultCode.constraintTrigger)
        #expect(error.message == "x must not be negative")
    }

    // MARK: - Statements and values

    @Test func statementCacheReusesStatement() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        let first = try database.statement("SELECT 1")
        let second = try database.statement("SELECT 1")
        let other = try database.statement("SELECT 2")
        #expect(first === second)
        #expect(first !== other)
    }

    @Test func cachedStatementRestartsAfterPartialRead() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)")
        let statement = try database.statement("SELECT x FROM t ORDER BY x")
        #expect(try statement.step())
        #expect(statement.row.int(0) == 1)

        #expect(try database.rows("SELECT x FROM t ORDER BY x") { $0.int(0) } == [1, 2, 3])
        #expect(try database.rows("SELECT x FROM t ORDER BY x") { $0.int(0) } == [1, 2, 3])
    }

    @Test(arguments: [
        SQLValue.null,
        .integer(0),
        .integer(Int64.min),
        .integer(Int64.max),
        .real(0.1),
        .real(-2.5e-300),
        .real(Double.greatestFiniteMagnitude),
        .text(""),
        .text("Lillestrøm 🚀 \"quoted\" 'single'"),
        .blob([]),
        .blob([0, 1, 0xFF, 0x7F, 0]),
    ])
    func valueRoundTrips(value: SQLValue) throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (v ANY) STRICT")
        try database.run("INSERT INTO t (v) VALUES (?)", value)
        let stored = try database.firstRow("SELECT v FROM t") { $0.value(0) }
        #expect(stored == value)
        let echoed = try database.firstRow("SELECT ? AS v", value) { $0.value(0) }
        #expect(echoed == value)
    }

    @Test func textWithNULRoundTrips() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        let text = "before\u{0}after"
        let echoed = try database.firstRow("SELECT ?, length(CAST(? AS BLOB))", text, text) { row in
            (row.value(0), row.int(1))
        }
        #expect(echoed?.0 == .text(text))
        #expect(echoed?.1 == 12)
    }

    @Test func swiftValuesBindAsSQLValues() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        let row = try database.firstRow(
            "SELECT ?, ?, ?, ?, ?, ?, ?", 42, Int64(-7), 1.5, "text", true, false, Int?.none
        ) { row in (0..<row.count).map { row.value($0) } }
        #expect(row == [.integer(42), .integer(-7), .real(1.5), .text("text"), .integer(1), .integer(0), .null])
    }

    @Test func namedParametersBind() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        let statement = try database.statement("SELECT :node, :count")
        #expect(statement.parameterNames == [":node", ":count"])
        try statement.bind(named: [(":count", .integer(3)), (":node", .text("N13"))])
        #expect(try statement.step())
        #expect(statement.row.value(0) == .text("N13"))
        #expect(statement.row.value(1) == .integer(3))

        let error = try #require(throws: DatabaseError.self) {
            try statement.bind(named: [(":missing", .null)])
        }
        #expect(error.extendedCode == SQLITE_RANGE)
        #expect(error.message == "no parameter named :missing")
    }

    @Test func rowReadsNullAsDefaults() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        let values = try database.firstRow("SELECT NULL") { row in
            (row.isNull(0), row.int(0), row.string(0), row.double(0), row.optionalInt(0), row.optionalString(0))
        }
        let row = try #require(values)
        #expect(row.0)
        #expect(row.1 == 0)
        #expect(row.2 == "")
        #expect(row.3 == 0)
        #expect(row.4 == nil)
        #expect(row.5 == nil)
    }

    @Test func runReturnsChangedRowCount() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)")
        #expect(try database.run("UPDATE t SET x = x + 10 WHERE x >= ?", 2) == 2)
        #expect(try database.run("DELETE FROM t") == 3)
    }

    @Test func scalarsReturnNilWithoutRow() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (x INTEGER)")
        #expect(try database.scalarInt("SELECT x FROM t") == nil)
        #expect(try database.scalarString("SELECT 'a' FROM t") == nil)
        #expect(try database.firstRow("SELECT x FROM t") { $0.int(0) } == nil)
    }

    @Test func statementReportsColumnsAndReadOnly() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (x INTEGER)")
        let query = try database.statement("SELECT x AS value, x + 1 FROM t")
        #expect(query.columnCount == 2)
        #expect(query.columnName(at: 0) == "value")
        #expect(query.columnName(at: 1) == "x + 1")
        #expect(query.isReadOnly)
        #expect(try !database.statement("DELETE FROM t").isReadOnly)
    }

    @Test func traceHandlerSeesStatements() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        var traced: [String] = []
        database.traceHandler = { sql, nanoseconds in
            #expect(nanoseconds >= 0)
            traced.append(sql)
        }
        try database.execute("CREATE TABLE t (x INTEGER)")
        try database.run("INSERT INTO t VALUES (?)", 5)
        database.traceHandler = nil
        try database.run("DELETE FROM t")
        #expect(traced == ["CREATE TABLE t (x INTEGER)", "INSERT INTO t VALUES (?)"])
    }

    /// The trace times statements to the nanosecond with a monotonic clock, where
    /// SQLite's own profile time counts whole milliseconds.
    @Test func traceTimesFinerThanMilliseconds() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        var times: [Int64] = []
        database.traceHandler = { _, nanoseconds in
            times.append(nanoseconds)
        }
        let start = ContinuousClock.now
        _ = try database.scalarInt("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT count(*) FROM n")
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        let elapsed = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        for _ in 0..<20 {
            _ = try database.scalarInt("SELECT 1")
        }
        database.traceHandler = nil

        #expect(times.count == 21)
        #expect(times[0] > 0)
        #expect(times[0] <= elapsed)
        #expect(times.allSatisfy { $0 >= 0 })
        #expect(times.contains { $0 % 1_000_000 != 0 })
    }

    @Test func reportsLinkedVersion() {
        #expect(Database.sqliteVersion == String(cString: sqlite3_libversion()))
        #expect(Database.sqliteVersion.hasPrefix("3."))
    }
}
