import Foundation

/// Rows of text shown as aligned columns in a terminal or as CSV.
struct Table {
    enum Alignment {
        case left, right
    }

    struct Column {
        let title: String
        let alignment: Alignment
    }

    let columns: [Column]
    private(set) var rows: [[String]] = []

    init(_ columns: [(String, Alignment)]) {
        self.columns = columns.map { Column(title: $0.0, alignment: $0.1) }
    }

    mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "a row of \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    /// The table with a header line and columns padded to their widest cell.
    /// Each cell's width is counted once, and each line is built and trimmed on
    /// its own, so the time grows with the size of the text, in rows and in cells.
    func rendered() -> String {
        let titleWidths = columns.map { $0.title.count }
        let rowWidths = rows.map { $0.map(\.count) }
        var widths = titleWidths
        for cellWidths in rowWidths {
            for (index, width) in cellWidths.enumerated() {
                widths[index] = max(widths[index], width)
            }
        }
        var text = ""
        // Each line is built and trimmed on its own, so that trimming never touches
        // the text before it.
        func appendLine(_ cells: [String], _ cellWidths: [Int]) {
            var line = ""
            for (index, cell) in cells.enumerated() {
                let isLast = index == cells.count - 1
                let padding = isLast && columns[index].alignment == .left ? 0 : widths[index] - cellWidths[index]
                if columns[index].alignment == .right {
                    line.append(String(repeating: " ", count: padding))
                }
                line.append(cell)
                if columns[index].alignment == .left {
                    line.append(String(repeating: " ", count: padding))
                }
                if !isLast {
                    line.append("  ")
                }
            }
            // Trailing spaces are ASCII, so they can be found in the UTF-8 view alone.
            let utf8 = line.utf8
            var end = utf8.endIndex
            while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: " ") {
                end = utf8.index(before: end)
            }
            text.append(contentsOf: line[..<end])
            text.append("\n")
        }
        appendLine(columns.map(\.title), titleWidths)
        for (row, cellWidths) in zip(rows, rowWidths) {
            appendLine(row, cellWidths)
        }
        return text
    }

    /// The table as CSV (RFC 4180) with a header row.
    func csv() -> String {
        ([columns.map(\.title)] + rows).map { row in
            row.map(CSV.field).joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }
}

enum CSV {
    /// Quotes a field when it contains a comma, quote, or line break.
    static func field(_ text: String) -> String {
        guard needsQuotes(text) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Returns whether `text` contains a comma, a quote or a line break. The four
    /// are ASCII, so memchr finds them in the UTF-8 bytes, at C's speed even in an
    /// unoptimized build.
    private static func needsQuotes(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let start = bytes.baseAddress else { return false }
            return [UInt8(ascii: ","), UInt8(ascii: "\""), 0x0A, 0x0D].contains { memchr(start, Int32($0), bytes.count) != nil }
        }
    }
}

