import CSQLite
import Foundation

/// A connection that runs SQL written by a person, such as an auditor, and
/// cannot change the database: the engine of `praas-db sql`.
///
/// Five checks each stop a write on their own:
/// 1. the file is opened with `SQLITE_OPEN_READONLY`;
/// 2. `PRAGMA query_only` is on, and read back to prove it;
/// 3. an authorizer (`ReadOnlyPolicy`) denies every action but reading while a
///    statement is compiled;
/// 4. a statement that `sqlite3_stmt_readonly` reports as writing, such as
///    VACUUM, is rejected before it runs. So is one that starts with CREATE,
///    DROP, ALTER, ANALYZE, REINDEX or VACUUM, even when it would change
///    nothing, like `DROP TRIGGER IF EXISTS` on a missing trigger;
/// 5. text after the first statement is rejected, so a second statement never
///    reaches SQLite.
///
/// In a WAL database without a `-wal` file, SQLite creates an empty `-wal` and
/// a `-shm` file for the connection and leaves them behind when it closes. The
/// database file itself is never written.
public final class ReadOnlyDatabase {
    let database: Database
    private let policy = ReadOnlyPolicy()
    private let busyTimeoutMilliseconds: Int

    /// The PRAGMAs a query may run whatever their argument, such as `table_info`.
    public static let schemaPragmas = ReadOnlyPolicy.schemaPragmas
    /// The PRAGMAs a query may run only without a value, such as `user_version`.
    public static let valuePragmas = ReadOnlyPolicy.valuePragmas

    /// The path the database was opened with.
    public var path: String { database.path }

    private init(database: Database, busyTimeoutMilliseconds: Int) {
        self.database = database
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }

    /// Opens the existing database at `path` for reading only. It runs no
    /// migration, so queries see the schema the file has.
    ///
    /// - Parameter options: the busy timeout and the trace. The clock and the
    ///   actor are not used.
    /// - Throws: `.fileNotFound` when there is no file at `path` or it cannot be
    ///   opened. `.corruptDatabase` when it is not a praas-db database or is newer
    ///   than this binary. `.busy` when another process holds a lock for longer
    ///   than the busy timeout.
    public static func open(at path: String, options: RepositoryOptions = RepositoryOptions()) throws -> ReadOnlyDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PraaSError.missingDatabase(at: path)
        }
        let database: Database
        do {
            database = try Database(path: path, mode: .readOnly, busyTimeout: options.busyTimeoutMilliseconds)
        } catch let error as DatabaseError {
            throw PraaSError(.fileNotFound, "cannot open database '\(path)': \(error.message)")
        }
        database.traceHandler = options.trace
        let connection = ReadOnlyDatabase(database: database, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)

        do {
            if try Migrator().inspect(database).isEmpty {
                throw PraaSError.emptyDatabase(at: path)
            }
            try database.execute("PRAGMA query_only = 1")
            guard try database.scalarInt("PRAGMA query_only") == 1 else {
                throw PraaSError(.failure, "cannot turn on PRAGMA query_only for '\(path)' in this build of SQLite")
            }
        } catch let error as DatabaseError {
            throw connection.translate(error, sql: nil, isRunning: false)
        }

        do {
            try ReadOnlyPolicy.preparePragmaFunctions(on: database)
        } catch let error as DatabaseError {
            throw connection.translate(error, sql: nil, isRunning: false)
        }
        // Installed last, because the checks above run PRAGMAs it denies.
        let policy = connection.policy
        database.authorizer = { request in policy.decide(request) }
        return connection
    }

    /// Compiles one SQL statement that only reads and binds `parameters` to it.
    ///
    /// The statement may end with a semicolon, whitespace and comments, but
    /// nothing more.
    ///
    /// - Throws: `.invalidArgument` when the text contains no statement or more
    ///   than one, when the statement would change anything, when SQLite rejects
    ///   it (with SQLite's message, such as `near "SELEC": syntax error`), or when
    ///   the parameters do not match the statement's (see `QueryParameter`).
    ///   `.busy` and `.corruptDatabase` as `open` throws them.
    public func prepare(_ sql: String, parameters: [QueryParameter] = []) throws -> ReadOnlyQuery {
        guard !sql.utf8.contains(0) else {
            throw PraaSError.invalidArgument("the query contains a NUL character; remove it")
        }
        policy.reset()
        do {
            guard let rest = try textAfterFirstStatement(sql) else {
                throw PraaSError.invalidArgument(
                    "the query is empty; pass one SQL statement, such as 'SELECT name FROM nodes'")
            }
            guard SQLText.containsNoStatement(rest) else {
                let second = rest.trimmingCharacters(in: .whitespacesAndNewlines)
                throw Self.rejection("a second statement ('\(second)')", hint: "run one statement at a time")
            }

            let statement = try Statement(connection: database.handle, sql: sql)
            guard statement.isReadOnly, SQLText.schemaKeywords(of: sql).isEmpty else {
                throw Self.rejection(Self.statementName(sql))
            }
            let values = try QueryParameter.values(for: statement.parameterNames, from: parameters)
            try statement.bind(values)
            return ReadOnlyQuery(connection: self, statement: statement)
        } catch let error as DatabaseError {
            throw translate(error, sql: sql, isRunning: false)
        }
    }

    /// Compiles the first statement of `sql` to check it, and returns the text
    /// after it, or nil when `sql` contains no statement at all.
    private func textAfterFirstStatement(_ sql: String) throws -> String? {
        var statement: OpaquePointer?
        var rest = ""
        let result = sql.withCString { start in
            var tail: UnsafePointer<CChar>?
            let result = sqlite3_prepare_v3(database.handle, start, -1, 0, &statement, &tail)
            rest = tail.map { String(cString: $0) } ?? ""
            return result
        }
        defer { sqlite3_finalize(statement) }
        guard result == SQLITE_OK else {
            throw DatabaseError(handle: database.handle, resultCode: result, sql: sql)
        }
        return statement == nil ? nil : rest
    }

    // MARK: - Errors

    /// Forgets the last denied action, before a statement runs.
    func resetDenials() {
        policy.reset()
    }

    /// Turns an SQLite error while compiling or running `sql` into a `PraaSError`.
    /// A denied action or a write that reached SQLite's own read-only checks is a
    /// rejection, and any other error while compiling means the query is invalid.
    func translate(_ error: DatabaseError, sql: String?, isRunning: Bool) -> PraaSError {
        if let denied = policy.firstDenied {
            let what = ReadOnlyPolicy.describe(denied, in: sql ?? "")
            let isPragma = ReadOnlyPolicy.deniesPragma(denied, in: sql ?? "")
            return Self.rejection(what, hint: isPragma ? Self.pragmaHint : nil)
        }
        if error.isBusy {
            let seconds = Double(busyTimeoutMilliseconds) / 1000
            let shown = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
            return PraaSError(
                .busy,
                "reading '\(path)' timed out after \(shown) s waiting for another process to release the database "
                    + "lock; nothing was changed, and the query can be retried (raise the wait with --busy-timeout SECONDS)")
        }
        if error.isCorruption {
            return PraaSError.unusableDatabase(at: path, reason: error.message)
        }
        if error.isReadOnlyFolder {
            return PraaSError.readOnlyFolder(at: path)
        }
        if error.code == SQLITE_READONLY || error.code == SQLITE_AUTH {
            return Self.rejection("\(Self.statementName(sql ?? "")) (\(error.message))")
        }
        if isRunning {
            return PraaSError(.failure, "the query failed: \(error.message)")
        }
        return PraaSError.invalidArgument("invalid query: \(error.message)")
    }

    private static let pragmaHint =
        "the PRAGMAs it runs, as statements or as functions such as pragma_table_info(), are "
        + ReadOnlyPolicy.schemaPragmas.joined(separator: ", ") + ", and, without a value, "
        + ReadOnlyPolicy.valuePragmas.joined(separator: " and ")

    /// Returns the statement's kind for an error message: its schema keywords,
    /// such as `VACUUM INTO`, or else its first word, such as `SELECT`.
    private static func statementName(_ sql: String) -> String {
        let keywords = SQLText.schemaKeywords(of: sql)
        if !keywords.isEmpty {
            return keywords
        }
        let word = SQLText.firstWord(of: sql)
        return word.isEmpty ? "the statement" : word
    }

    /// Returns the error for a statement that `praas-db sql` does not run,
    /// because it is not a single read.
    static func rejection(_ what: String, hint: String? = nil) -> PraaSError {
        PraaSError.invalidArgument("\(what) is not allowed: 'praas-db sql' is read-only" + (hint.map { "; " + $0 } ?? ""))
    }
}
