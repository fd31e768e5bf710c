/// Lexical checks on SQL text that SQLite's API does not offer.
///
/// Whitespace and comments follow SQLite's tokenizer. Whitespace is space, tab,
/// line feed, form feed and carriage return. A `--` comment runs to the end of
/// the line, and a `/*` comment to `*/` or to the end of the text.
enum SQLText {
    /// True when `text` contains only whitespace, comments and semicolons, so SQLite
    /// would find no statement in it.
    static func containsNoStatement(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = skipBlanks(bytes, from: 0)
        while index < bytes.count, bytes[index] == UInt8(ascii: ";") {
            index = skipBlanks(bytes, from: index + 1)
        }
        return index == bytes.count
    }

    /// Returns the keywords, in upper case, that open a statement changing the
    /// schema or the file: `CREATE TEMP TABLE`, `DROP INDEX`, `ANALYZE`, `VACUUM
    /// INTO`. Returns the empty string for any other statement, such as a SELECT.
    static func schemaKeywords(of sql: String) -> String {
        let bytes = Array(sql.utf8)
        var index = skipBlanks(bytes, from: 0)
        var keywords: [String] = []
        while index < bytes.count {
            var end = index
            while end < bytes.count, isWordByte(bytes[end]) {
                end += 1
            }
            let word = String(decoding: bytes[index..<end], as: UTF8.self).uppercased()
            let allowed = keywords.isEmpty ? openingKeywords : followingKeywords
            guard end > index, allowed.contains(word) else { break }
            keywords.append(word)
            index = skipBlanks(bytes, from: end)
        }
        return keywords.joined(separator: " ")
    }

    /// Returns the first word of `sql` in upper case, such as `SELECT`, or the
    /// empty string when the text starts with something else.
    static func firstWord(of sql: String) -> String {
        let bytes = Array(sql.utf8)
        let start = skipBlanks(bytes, from: 0)
        var end = start
        while end < bytes.count, isWordByte(bytes[end]) {
            end += 1
        }
        return String(decoding: bytes[start..<end], as: UTF8.self).uppercased()
    }

    /// Returns the names in `sql` that start with `pragma_`, such as
    /// `pragma_table_info`, in lower case and in order. It looks at every word,
    /// including those in quoted text, so it serves error messages only.
    static func pragmaFunctions(in sql: String) -> [String] {
        let bytes = Array(sql.utf8)
        var names: [String] = []
        var index = 0
        while index < bytes.count {
            guard isWordByte(bytes[index]) else {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, isWordByte(bytes[end]) {
                end += 1
            }
            let word = String(decoding: bytes[index..<end], as: UTF8.self).lowercased()
            if word.hasPrefix("pragma_"), word.count > "pragma_".count {
                names.append(word)
            }
            index = end
        }
        return names
    }

    private static let openingKeywords: Set<String> = ["CREATE", "DROP", "ALTER", "ANALYZE", "REINDEX", "VACUUM"]
    private static let followingKeywords: Set<String> = [
        "TEMP", "TEMPORARY", "UNIQUE", "VIRTUAL", "TABLE", "VIEW", "INDEX", "TRIGGER", "INTO",
    ]

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    /// Returns the index of the first byte at or after `start` that is neither
    /// whitespace nor inside a comment.
    private static func skipBlanks(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            if [0x20, 0x09, 0x0A, 0x0C, 0x0D].contains(byte) {
                index += 1
            } else if byte == UInt8(ascii: "-"), next == UInt8(ascii: "-") {
                while index < bytes.count, bytes[index] != 0x0A {
                    index += 1
                }
            } else if byte == UInt8(ascii: "/"), next == UInt8(ascii: "*") {
                index += 2
                while index < bytes.count, !(bytes[index] == UInt8(ascii: "*") && index + 1 < bytes.count
                    && bytes[index + 1] == UInt8(ascii: "/"))
                {
                    index += 1
                }
                index = min(index + 2, bytes.count)
            } else {
                break
            }
        }
        return index
    }
}
