/// One compiled read-only query with its parameters bound, ready to run.
///
/// Rows are read one at a time, so a query over millions of rows runs in
/// constant memory. The query keeps its connection open, and like the
/// connection it must be used from one thread at a time.
public final class ReadOnlyQuery {
    private let connection: ReadOnlyDatabase
    private let statement: Statement

    /// The names of the result columns, as `AS` gave them or SQLite chose them.
    /// Names can repeat, as in `SELECT 1 AS a, 2 AS a`.
    public let columnNames: [String]

    /// The SQL text the query was compiled from.
    public var sql: String { statement.sql }

    init(connection: ReadOnlyDatabase, statement: Statement) {
        self.connection = connection
        self.statement = statement
        columnNames = (0..<statement.columnCount).map { statement.columnName(at: $0) }
    }

    /// Runs the query from its first row and calls `body` with the values of
    /// each row, one per column in `columnNames` order. Each call starts over.
    ///
    /// - Throws: what `body` throws. `.invalidArgument` when SQLite stops the
    ///   query because it would write. `.failure` with SQLite's message when the
    ///   query fails while running, such as on `integer overflow`. `.busy` and
    ///   `.corruptDatabase` as `ReadOnlyDatabase.open` throws them.
    public func forEachRow(_ body: ([SQLValue]) throws -> Void) throws {
        statement.reset()
        defer { statement.reset() }
        connection.resetDenials()

        let columns = 0..<columnNames.count
        do {
            while try statement.step() {
                let row = statement.row
                try body(columns.map { row.value($0) })
            }
        } catch let error as DatabaseError {
            throw connection.translate(error, sql: statement.sql, isRunning: true)
        }
    }
}
