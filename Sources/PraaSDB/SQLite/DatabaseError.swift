import CSQLite

/// An error that SQLite reported: the extended result code, SQLite's own
/// message and the statement that failed.
///
/// Bound values are never part of the error, so a message can be logged
/// without leaking data.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// The extended result code, for example `SQLITE_CONSTRAINT_TRIGGER` (1811).
    public let extendedCode: Int32
    /// SQLite's message, for example `no such table: nodes`.
    public let message: String
    /// The SQL text of the failing statement, when there was one.
    public let sql: String?

    /// The primary result code, for example `SQLITE_CONSTRAINT` (19).
    public var code: Int32 { extendedCode & 0xFF }

    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// True when another connection holds a lock and the busy timeout ran out.
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    /// True for a violated CHECK, UNIQUE, NOT NULL or foreign key, or a trigger's RAISE.
    public var isConstraintViolation: Bool { code == SQLITE_CONSTRAINT }

    /// True when the file is not a database or its pages are damaged.
    public var isCorruption: Bool { code == SQLITE_CORRUPT || code == SQLITE_NOTADB }

    /// True when SQLite cannot write because the database's folder is read-only,
    /// so it cannot create the `-wal` and `-shm` files there.
    public var isReadOnlyFolder: Bool { extendedCode == Self.readOnlyDirectory }

    /// `SQLITE_READONLY_DIRECTORY`, a macro that Swift does not import.
    static let readOnlyDirectory: Int32 = SQLITE_READONLY | (6 << 8)

    public var description: String {
        var text = "SQLite error \(extendedCode): \(message)"
        if let sql {
            text += " (in: \(sql))"
        }
        return text
    }
}

extension DatabaseError {
    /// Builds an error from a failed call on `handle`, reading SQLite's message.
    init(handle: OpaquePointer?, resultCode: Int32, sql: String? = nil) {
        let extended = handle.map { sqlite3_extended_errcode($0) } ?? resultCode
        let message: String
        if let handle, let text = sqlite3_errmsg(handle) {
            message = String(cString: text)
        } else {
            message = String(cString: sqlite3_errstr(resultCode))
        }
        // sqlite3_extended_errcode reports the most recent error, so it is used only
        // when its primary code agrees with the code this call returned.
        let code = (extended & 0xFF) == (resultCode & 0xFF) ? extended : resultCode
        self.init(extendedCode: code, message: message, sql: sql)
    }
}
