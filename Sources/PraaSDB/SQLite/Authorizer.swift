import CSQLite

/// One action of a statement that SQLite passes to the authorizer while it
/// compiles the statement, with the arguments of the `sqlite3_set_authorizer`
/// callback.
///
/// sqlite3.h lists the action codes and what their two arguments contain. For
/// `SQLITE_READ` they are the table and the column, for `SQLITE_INSERT` the
/// table, for `SQLITE_PRAGMA` the pragma's name and its value, and for
/// `SQLITE_FUNCTION` nil and the function's name.
public struct AuthorizerRequest: Equatable, Sendable {
    /// The action code, such as `SQLITE_SELECT`, `SQLITE_READ` or `SQLITE_INSERT`.
    public let action: Int32
    /// The first action-specific argument, such as the table for `SQLITE_INSERT`.
    public let firstArgument: String?
    /// The second action-specific argument, such as the column for `SQLITE_READ`.
    public let secondArgument: String?
    /// The database the action applies to (`main`, `temp` or an attached name),
    /// when the action has one.
    public let databaseName: String?
    /// The innermost trigger or view whose code makes the access; nil when the
    /// statement makes it directly.
    public let accessor: String?

    public init(
        action: Int32, firstArgument: String? = nil, secondArgument: String? = nil, databaseName: String? = nil,
        accessor: String? = nil
    ) {
        self.action = action
        self.firstArgument = firstArgument
        self.secondArgument = secondArgument
        self.databaseName = databaseName
        self.accessor = accessor
    }
}

/// What an authorizer decides about one `AuthorizerRequest`.
public enum AuthorizerDecision: Sendable {
    /// Lets the action go ahead (`SQLITE_OK`).
    case allow
    /// Makes compiling the whole statement fail with `SQLITE_AUTH` (`SQLITE_DENY`).
    case deny
}

extension Database {
    /// Registers `authorizer` with SQLite, or removes the callback when it is nil.
    func installAuthorizer() {
        guard authorizer != nil else {
            sqlite3_set_authorizer(handle, nil, nil)
            return
        }
        // The connection owns the handle, so it outlives every callback made on it.
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_set_authorizer(handle, { context, action, first, second, databaseName, accessor in
            guard let context else { return SQLITE_DENY }
            let database = Unmanaged<Database>.fromOpaque(context).takeUnretainedValue()
            guard let authorizer = database.authorizer else { return SQLITE_OK }
            let request = AuthorizerRequest(
                action: action,
                firstArgument: first.map { String(cString: $0) },
                secondArgument: second.map { String(cString: $0) },
                databaseName: databaseName.map { String(cString: $0) },
                accessor: accessor.map { String(cString: $0) })
            switch authorizer(request) {
            case .allow: return SQLITE_OK
            case .deny: return SQLITE_DENY
            }
        }, context)
    }
}
