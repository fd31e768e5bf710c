import CSQLite

/// The authorizer of a `ReadOnlyDatabase`: which actions a query may take while
/// SQLite compiles it, and the text that names a denied action in the error.
///
/// It allows SELECT, reading any column, recursive common table expressions,
/// every function but those in `deniedFunctions`, and the PRAGMAs in
/// `schemaPragmas` and `valuePragmas`, which a query may also call through
/// their table-valued functions, such as `pragma_table_info('nodes')`. It
/// denies everything else, which includes INSERT, UPDATE, DELETE, every
/// CREATE, DROP and ALTER (TEMP ones too), ATTACH, DETACH, REINDEX, ANALYZE,
/// BEGIN, SAVEPOINT and every other PRAGMA.
final class ReadOnlyPolicy {
    /// PRAGMAs that only read, whatever their argument, which names a table or
    /// an index or limits the number of errors reported.
    static let schemaPragmas: [String] = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
        "foreign_key_check", "integrity_check", "quick_check",
    ]
    /// PRAGMAs that only read when given no value: `PRAGMA user_version` reads,
    /// `PRAGMA user_version = 5` writes.
    static let valuePragmas: [String] = ["user_version", "application_id"]

    /// The table-valued functions of the PRAGMAs above, such as `pragma_table_info`.
    static var pragmaFunctions: [String] {
        (schemaPragmas + valuePragmas).map { "pragma_" + $0 }
    }

    /// Functions a query may not call: `load_extension` runs code from a file,
    /// and `fts3_tokenizer` returns the address of a tokenizer in memory or, with
    /// two arguments, installs one from an address, which Debian's SQLite allows.
    static let deniedFunctions: Set<String> = ["load_extension", "fts3_tokenizer"]

    /// The schema tables, as the authorizer names them, that every CREATE, DROP
    /// and ANALYZE writes to.
    private static let schemaTables: Set<String> = ["sqlite_master", "sqlite_temp_master", "sqlite_schema", "sqlite_temp_schema"]

    /// The first action denied since the last `reset()`, which the error names.
    private(set) var firstDenied: AuthorizerRequest?

    /// Builds the tables behind `pragmaFunctions` on `database`, which must not
    /// have this policy's authorizer yet.
    ///
    /// SQLite builds such a table when a connection first names the function,
    /// and while it does, it requests SQLITE_UPDATE authorization on
    /// sqlite_master (seen with SQLite 3.40), which the policy denies. Once the
    /// table is built, a query only reads it, and the PRAGMA it runs goes
    /// through `allows(_:)` like a PRAGMA statement. Preparing a statement
    /// builds the table, so nothing runs here.
    static func preparePragmaFunctions(on database: Database) throws {
        for function in pragmaFunctions {
            _ = try Statement(connection: database.handle, sql: "SELECT * FROM \(function) WHERE 0")
        }
    }

    /// Forgets the last denial, before a statement is compiled or run.
    func reset() {
        firstDenied = nil
    }

    /// Allows or denies `request`, and remembers the first denial.
    func decide(_ request: AuthorizerRequest) -> AuthorizerDecision {
        if Self.allows(request) {
            return .allow
        }
        if firstDenied == nil {
            firstDenied = request
        }
        return .deny
    }

    static func allows(_ request: AuthorizerRequest) -> Bool {
        switch request.action {
        case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE:
            return true
        case SQLITE_FUNCTION:
            return !deniedFunctions.contains(request.secondArgument?.lowercased() ?? "")
        case SQLITE_PRAGMA:
            let name = request.firstArgument?.lowercased() ?? ""
            return schemaPragmas.contains(name) || (valuePragmas.contains(name) && request.secondArgument == nil)
        default:
            return false
        }
    }

    /// Returns what a denied request tries to do, in words for an error message
    /// about `sql`: `INSERT into table 'nodes'`, `CREATE TEMP TABLE`,
    /// `PRAGMA user_version = 5`.
    static func describe(_ request: AuthorizerRequest, in sql: String) -> String {
        let first = request.firstArgument ?? ""
        let second = request.secondArgument ?? ""
        if let function = deniedPragmaFunction(request, in: sql) {
            return "the table-valued function \(function)()"
        }
        if writesSchemaTable(request) {
            // CREATE, DROP and ANALYZE ask to write the schema table before they
            // ask for their own action, so the statement's keywords name them.
            let keywords = SQLText.schemaKeywords(of: sql)
            return keywords.isEmpty ? "changing the schema table '\(first)'" : keywords
        }

        switch request.action {
        case SQLITE_INSERT:
            return "INSERT into table '\(first)'"
        case SQLITE_UPDATE:
            return "UPDATE of column '\(first).\(second)'"
        case SQLITE_DELETE:
            return "DELETE from table '\(first)'"
        case SQLITE_PRAGMA:
            return request.secondArgument.map { "PRAGMA \(first) = \($0)" } ?? "PRAGMA \(first)"
        case SQLITE_FUNCTION:
            return "the function \(second)()"
        case SQLITE_ATTACH:
            return "ATTACH of '\(first)'"
        case SQLITE_DETACH:
            return "DETACH of '\(first)'"
        case SQLITE_TRANSACTION:
            return first
        case SQLITE_SAVEPOINT:
            return first == "BEGIN" ? "SAVEPOINT '\(second)'" : "\(first == "RELEASE" ? "RELEASE" : "ROLLBACK TO") '\(second)'"
        case SQLITE_ALTER_TABLE:
            return "ALTER TABLE '\(second)'"
        case SQLITE_REINDEX:
            return "REINDEX"
        case SQLITE_ANALYZE:
            return "ANALYZE"
        default:
            let keywords = SQLText.schemaKeywords(of: sql)
            return keywords.isEmpty ? "the action with authorizer code \(request.action)" : keywords
        }
    }

    /// Returns whether `request`, denied while `sql` was compiled, is a PRAGMA:
    /// a PRAGMA statement or a table-valued PRAGMA function.
    static func deniesPragma(_ request: AuthorizerRequest, in sql: String) -> Bool {
        request.action == SQLITE_PRAGMA || deniedPragmaFunction(request, in: sql) != nil
    }

    /// Returns the table-valued PRAGMA function whose table SQLite was building
    /// when it asked for `request`, or nil. The tables of `pragmaFunctions` are
    /// built in advance, so the first other function that `sql` names is the one.
    private static func deniedPragmaFunction(_ request: AuthorizerRequest, in sql: String) -> String? {
        guard writesSchemaTable(request), SQLText.schemaKeywords(of: sql).isEmpty else { return nil }
        let names = SQLText.pragmaFunctions(in: sql)
        return names.first { !pragmaFunctions.contains($0) } ?? names.first
    }

    private static func writesSchemaTable(_ request: AuthorizerRequest) -> Bool {
        [SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE].contains(request.action)
            && schemaTables.contains(request.firstArgument?.lowercased() ?? "")
    }
}
