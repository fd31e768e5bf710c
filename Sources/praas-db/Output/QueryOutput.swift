import PraaSDB

/// Prints the rows of a read-only query as an aligned table, as CSV or as JSON.
enum QueryOutput {
    /// Writes the column names and the rows as left-aligned columns. The rows are
    /// collected first, because every column is as wide as its widest value.
    static func writeTable(_ query: ReadOnlyQuery, to output: TextOutput) throws {
        guard !query.columnNames.isEmpty else { return }
        var table = Table(query.columnNames.map { ($0, .left) })
        try query.forEachRow { values in
            table.append(values.map(\.displayText))
        }
        output.write(table.rendered())
    }

    /// Writes a header row and one line per row, as RFC 4180 CSV with CRLF line ends.
    static func writeCSV(_ query: ReadOnlyQuery, to output: TextOutput) throws {
        guard !query.columnNames.isEmpty else { return }
        output.write(query.columnNames.map(CSV.field).joined(separator: ",") + "\r\n")
        try query.forEachRow { values in
            output.write(values.map { CSV.field($0.displayText) }.joined(separator: ",") + "\r\n")
        }
    }

    /// Writes `{"version": 1, "columns": [...], "rows": [[...], ...]}`, with the
    /// column names on one line and each row on a line of its own.
    static func writeJSON(_ query: ReadOnlyQuery, to output: TextOutput) throws {
        var json = JSONWriter()
        json.beginObject()
        json.field("version", 1)
        json.key("columns")
        json.raw(compactArray { array in
            for name in query.columnNames {
                array.string(name)
            }
        })
        json.key("rows")
        json.beginArray()
        try query.forEachRow { values in
            json.raw(compactArray { array in
                for value in values {
                    array.value(value)
                }
            })
            if json.bytes.count >= 1 << 16 {
                output.write(bytes: json.drain())
            }
        }
        json.endArray()
        json.endObject()
        json.finish()
        output.write(bytes: json.bytes)
    }

    /// Returns a JSON array on one line, with no spaces, filled by `body`.
    private static func compactArray(_ body: (inout JSONWriter) -> Void) -> String {
        var array = JSONWriter(indent: 0)
        array.beginArray()
        body(&array)
        array.endArray()
        return String(decoding: array.bytes, as: UTF8.self)
    }
}
