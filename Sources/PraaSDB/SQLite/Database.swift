import CSQLite
import Foundation

/// One connection to an SQLite database file.
///
/// Every connection runs with foreign keys enforced (read back after setting, so a
/// build of SQLite without them fails loudly), a busy timeout, and SQLite's
/// defensive mode, which keeps even this process from corrupting the file through
/// `PRAGMA writable_schema`. The repository switches files it writes to WAL with
/// `synchronous=FULL`, so a committed transaction survives a crash or power loss.
///
/// A connection is not thread-safe: use it from one thread at a time.
public final class Database {
    /// How to open the file.
    public enum Mode: Sendable {
        /// Read and write an existing file.
        case readWrite
        /// Read and write, creating the file (readable and writable by its owner
        /// only) when it does not exist.
        case readWriteCreate
        /// Read only: no statement on this connection can change the file.
        case readOnly
    }

    /// How a transaction takes its locks.
    public enum TransactionKind: String, Sendable {
        /// Takes a read lock at the first read; for read-only work.
        case deferred = "DEFERRED"
        /// Takes the write lock at `BEGIN`, so a transaction that reads and then
        /// writes never fails half-way because another writer came first.
        case immediate = "IMMEDIATE"
    }

    let handle: OpaquePointer
    /// The path the connection was opened with; `:memory:` for an in-memory database.
    public let path: String
    /// The mode the connection was opened with.
    public let mode: Mode
    private var statementCache: [String: Statement] = [:]

    /// Receives the SQL text (without bound values) and the run time in nanoseconds
    /// of every statement this connection finishes. Set it to log statements.
    ///
    /// The run time goes from the statement's first step to its end, read from a
    /// monotonic clock. The time that SQLITE_TRACE_PROFILE reports counts whole
    /// milliseconds (SQLite 3.40 on Linux reads its VFS clock in milliseconds), so
    /// it is not used.
    public var traceHandler: ((_ sql: String, _ nanoseconds: Int64) -> Void)? {
        didSet { installTrace() }
    }

    /// When each traced statement that is running took its first step, by its
    /// `sqlite3_stmt` pointer.
    private var traceStartTimes: [OpaquePointer: ContinuousClock.Instant] = [:]

    /// The callback that allows or denies each action of a statement while SQLite
    /// compiles it on this connection. A denied action makes the statement fail
    /// with `SQLITE_AUTH`, and nil allows everything. It applies to every statement
    /// compiled from then on, including the wrapper's own, and must not use this
    /// connection.
    public var authorizer: ((AuthorizerRequest) -> AuthorizerDecision)? {
        didSet { installAuthorizer() }
    }

    /// Opens the database at `path`.
    ///
    /// - Parameters:
    ///   - path: file path, or `:memory:`.
    ///   - mode: whether to write and whether to create the file.
    ///   - busyTimeout: how long, in milliseconds, a statement waits for a lock held by
    ///     another connection before it fails with `SQLITE_BUSY`.
    /// - Throws: `DatabaseError` when the file cannot be opened or configured.
    public init(path: String, mode: Mode = .readWrite, busyTimeout: Int = 30_000) throws {
        var createdFile = false
        if mode == .readWriteCreate, path != ":memory:" {
            createdFile = try Self.createOwnerOnlyFile(at: path)
        }
        // A file made above and then left behind by a failed open would look like a database.
        func removeCreatedFile() {
            if createdFile {
                unlink(path)
            }
        }

        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }

        // SQLite builds that accept URI file names, Debian's among them, would read
        // "file:x.db?mode=memory" as a URI, so such a name is passed as a relative path.
        let fileName = path.hasPrefix("file:") ? "./" + path : path
        var connection: OpaquePointer?
        let result = sqlite3_open_v2(fileName, &connection, flags, nil)
        guard result == SQLITE_OK, let connection else {
            let error = DatabaseError(handle: connection, resultCode: result)
            // sqlite3_open_v2 allocates a handle even when it fails, and that handle must be closed.
            sqlite3_close_v2(connection)
            removeCreatedFile()
            throw error
        }
        self.handle = connection
        self.path = path
        self.mode = mode

        do {
            try configure(busyTimeout: busyTimeout)
        } catch {
            statementCache.removeAll()
            sqlite3_close_v2(connection)
            removeCreatedFile()
            throw error
        }
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Creates an empty file with mode 0600 unless something already exists at `path`,
    /// and returns true when it created one. SQLite gives its `-wal` and `-shm` files
    /// the same permissions as the database.
    private static func createOwnerOnlyFile(at path: String) throws -> Bool {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
            return true
        }
        guard errno == EEXIST else {
            let reason = String(cString: strerror(errno))
            throw DatabaseError(extendedCode: SQLITE_CANTOPEN, message: "cannot create \(path): \(reason)")
        }
        return false
    }

    private func configure(busyTimeout: Int) throws {
        sqlite3_busy_timeout(handle, Int32(clamping: busyTimeout))
        sqlite3_extended_result_codes(handle, 1)

        var defensive: Int32 = 0
        let result = praas_db_config_int(handle, SQLITE_DBCONFIG_DEFENSIVE, 1, &defensive)
        guard result == SQLITE_OK, defensive == 1 else {
            throw DatabaseError(handle: handle, resultCode: result)
        }

        try execute("PRAGMA foreign_keys = ON")
        guard try scalarInt("PRAGMA foreign_keys") == 1 else {
            throw DatabaseError(
                extendedCode: SQLITE_MISUSE,
                message: "foreign key enforcement could not be turned on in this build of SQLite")
        }

    }

    // MARK: - Statements

    /// Returns a prepared statement for `sql`, reusing one prepared earlier on this
    /// connection when there is one.
    public func statement(_ sql: String) throws -> Statement {
        if let cached = statementCache[sql] {
            cached.reset()
            return cached
        }
        let statement = try Statement(connection: handle, sql: sql)
        statementCache[sql] = statement
        return statement
    }

    /// Runs one or more statements separated by semicolons, with no parameters.
    public func execute(_ script: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, script, nil, nil, &message)
        guard result == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(result))
            sqlite3_free(message)
            let extended = sqlite3_extended_errcode(handle)
            let code = (extended & 0xFF) == (result & 0xFF) ? extended : result
            throw DatabaseError(extendedCode: code, message: text, sql: script)
        }
    }

    /// Runs a statement that returns no rows, binding `arguments` in order, and
    /// returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ arguments: SQLBindable...) throws -> Int {
        let statement = try statement(sql)
        try statement.bind(arguments)
        while try statement.step() {}
        return Int(sqlite3_changes64(handle))
    }

    /// Runs a query and calls `body` with each row.
    public func forEachRow(_ sql: String, _ arguments: [SQLBindable] = [], _ body: (Row) throws -> Void) throws {
        let statement = try statement(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        while try statement.step() {
            try body(statement.row)
        }
    }

    /// Runs a query and returns every row, converted by `transform`.
    public func rows<T>(_ sql: String, _ arguments: SQLBindable..., as transform: (Row) throws -> T) throws -> [T] {
        var result: [T] = []
        try forEachRow(sql, arguments) { row in result.append(try transform(row)) }
        return result
    }

    /// Runs a query and returns its first row, converted by `transform`, or nil when
    /// there is none.
    public func firstRow<T>(_ sql: String, _ arguments: SQLBindable..., as transform: (Row) throws -> T) throws -> T? {
        let statement = try statement(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return try transform(statement.row)
    }

    /// Returns the first column of the first row as an integer, or nil when there is
    /// no row or the value is NULL.
    public func scalarInt(_ sql: String, _ arguments: SQLBindable...) throws -> Int? {
        let statement = try statement(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return statement.row.optionalInt(0)
    }

    /// Returns the first column of the first row as text, or nil when there is no
    /// row or the value is NULL.
    public func scalarString(_ sql: String, _ arguments: SQLBindable...) throws -> String? {
        let statement = try statement(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return statement.row.optionalString(0)
    }

    /// The rowid of the most recent successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    // MARK: - Transactions

    /// True when no transaction is open.
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// Runs `body` inside a transaction: commits when it returns, rolls back when it
    /// throws. Transactions do not nest; opening one inside another is a programmer
    /// error.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        precondition(isAutocommit, "a transaction is already open on this connection")
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if !isAutocommit {
                try? execute("ROLLBACK")
            }
            throw error
        }
    }

    // MARK: - Tracing

    private func installTrace() {
        traceStartTimes.removeAll()
        guard traceHandler != nil else {
            sqlite3_trace_v2(handle, 0, nil, nil)
            return
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        let events = UInt32(SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE)
        sqlite3_trace_v2(handle, events, { event, context, statement, _ in
            guard let context, let statement else { return 0 }
            let database = Unmanaged<Database>.fromOpaque(context).takeUnretainedValue()
            let key = OpaquePointer(statement)
            if event == UInt32(SQLITE_TRACE_STMT) {
                // SQLite reports a statement again at the start of each trigger it
                // runs, so only the first report is the statement's start.
                if database.traceStartTimes[key] == nil {
                    database.traceStartTimes[key] = ContinuousClock.now
                }
                return 0
            }
            let end = ContinuousClock.now
            let start = database.traceStartTimes.removeValue(forKey: key) ?? end
            let (seconds, attoseconds) = (end - start).components
            // sqlite3_sql gives the text as prepared, without bound values, which may be private.
            let sql = sqlite3_sql(key).map { String(cString: $0) } ?? ""
            database.traceHandler?(sql, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            return 0
        }, context)
    }
}

extension Database {
    /// The version of the SQLite library linked at run time, such as `3.40.1`.
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }
}
