import CSQLite

/// A prepared statement. Finalized when the last reference goes away.
///
/// A statement belongs to the connection that prepared it and must not outlive it
/// or be used from two threads at once.
public final class Statement {
    let handle: OpaquePointer
    private let connection: OpaquePointer
    /// The SQL text the statement was prepared from.
    public let sql: String

    init(connection: OpaquePointer, sql: String) throws {
        var statement: OpaquePointer?
        let result = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else {
            throw DatabaseError(handle: connection, resultCode: result, sql: sql)
        }
        self.handle = statement
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// True when the statement cannot change the database file on its own.
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// The number of columns in each result row.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The name of result column `index`, as `AS` gave it or SQLite chose it.
    public func columnName(at index: Int) -> String {
        String(cString: sqlite3_column_name(handle, Int32(index)))
    }

    /// The names of the `?NNN`, `:name`, `@name` and `$name` parameters, in index order.
    /// A nameless `?` parameter appears as `nil`.
    public var parameterNames: [String?] {
        let count = Int(sqlite3_bind_parameter_count(handle))
        return (0..<count).map { offset in
            sqlite3_bind_parameter_name(handle, Int32(offset + 1)).map { String(cString: $0) }
        }
    }

    /// Resets the statement and binds `values` to its parameters in order.
    public func bind(_ values: [SQLBindable]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        precondition(values.count == expected, "\(values.count) values for \(expected) parameters in: \(sql)")
        for (offset, value) in values.enumerated() {
            try bind(value.sqlValue, at: Int32(offset + 1))
        }
    }

    /// Resets the statement and binds values by parameter name, such as `:node`.
    ///
    /// - Throws: `DatabaseError` with `SQLITE_RANGE` when a name is not a parameter.
    public func bind(named values: [(name: String, value: SQLValue)]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (name, value) in values {
            let index = sqlite3_bind_parameter_index(handle, name)
            guard index > 0 else {
                throw DatabaseError(
                    extendedCode: SQLITE_RANGE,
                    message: "no parameter named \(name)",
                    sql: sql)
            }
            try bind(value, at: index)
        }
    }

    private func bind(_ value: SQLValue, at index: Int32) throws {
        let result: Int32
        switch value {
        case .null:
            result = sqlite3_bind_null(handle, index)
        case .integer(let integer):
            result = sqlite3_bind_int64(handle, index, integer)
        case .real(let real):
            result = sqlite3_bind_double(handle, index, real)
        case .text(let text):
            // The byte count is explicit, because SQLite would end a NUL-terminated
            // string at an embedded NUL and drop the rest of the text.
            let utf8 = text.utf8CString
            result = utf8.withUnsafeBufferPointer { buffer in
                sqlite3_bind_text64(
                    handle, index, buffer.baseAddress, sqlite3_uint64(buffer.count - 1), praas_sqlite_transient(),
                    UInt8(SQLITE_UTF8))
            }
        case .blob(let bytes) where bytes.isEmpty:
            // A nil pointer would bind NULL, and an empty array need not have a buffer.
            result = sqlite3_bind_zeroblob(handle, index, 0)
        case .blob(let bytes):
            result = bytes.withUnsafeBytes { buffer in
                sqlite3_bind_blob64(
                    handle, index, buffer.baseAddress, sqlite3_uint64(buffer.count), praas_sqlite_transient())
            }
        }
        guard result == SQLITE_OK else {
            throw DatabaseError(handle: connection, resultCode: result, sql: sql)
        }
    }

    /// Advances to the next row. Returns false when the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        default:
            let error = DatabaseError(handle: connection, resultCode: result, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Returns the statement to its initial state, keeping the bindings.
    public func reset() {
        sqlite3_reset(handle)
    }

    /// The current row. Valid only until the next `step()` or `reset()`.
    public var row: Row { Row(statement: handle) }
}

/// The current result row of a statement, read by column index.
///
/// A `Row` is a view, not a copy: it is valid only inside the closure or step that
/// produced it.
public struct Row {
    let statement: OpaquePointer

    /// The number of columns.
    public var count: Int { Int(sqlite3_column_count(statement)) }

    /// True when column `index` is NULL.
    public func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(statement, Int32(index)) == SQLITE_NULL
    }

    /// Column `index` as an integer; NULL reads as 0.
    public func int64(_ index: Int) -> Int64 {
        sqlite3_column_int64(statement, Int32(index))
    }

    /// Column `index` as an `Int`; NULL reads as 0.
    public func int(_ index: Int) -> Int {
        Int(sqlite3_column_int64(statement, Int32(index)))
    }

    /// Column `index` as an integer, or nil when it is NULL.
    public func optionalInt(_ index: Int) -> Int? {
        isNull(index) ? nil : int(index)
    }

    /// Column `index` as a double; NULL reads as 0.
    public func double(_ index: Int) -> Double {
        sqlite3_column_double(statement, Int32(index))
    }

    /// Column `index` as text; NULL reads as the empty string.
    public func string(_ index: Int) -> String {
        guard let text = sqlite3_column_text(statement, Int32(index)) else { return "" }
        let length = Int(sqlite3_column_bytes(statement, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)
    }

    /// Column `index` as text, or nil when it is NULL.
    public func optionalString(_ index: Int) -> String? {
        isNull(index) ? nil : string(index)
    }

    /// Column `index` with the type SQLite stored it in.
    public func value(_ index: Int) -> SQLValue {
        let column = Int32(index)
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            return .text(string(index))
        case SQLITE_BLOB:
            let length = Int(sqlite3_column_bytes(statement, column))
            guard length > 0, let bytes = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: length)))
        default:
            return .null
        }
    }
}
