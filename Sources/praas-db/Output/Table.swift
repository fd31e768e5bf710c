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
    func rendered() -> String {
        var widths = columns.map { $0.title.count }
        for row in rows {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                let isLast = index == cells.count - 1
                switch columns[index].alignment {
                case .left: text += cell + (isLast ? "" : padding)
                case .right: text += padding + cell
                }
                if !isLast {
                    text += "  "
                }
            }
            return String(text.reversed().drop { $0 == " " }.reversed()) + "\n"
        }
        return line(columns.map(\.title)) + rows.map(line).joined()
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
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

