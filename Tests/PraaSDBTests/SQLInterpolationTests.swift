import Foundation
import Testing

/// Every value reaches SQLite as a bound parameter. This test reads the
/// library's sources and finds each string literal that looks like SQL and
/// interpolates something. Each such interpolation must be one of those
/// below, which insert only fragments or integers that the code chooses. A
/// new one fails the test until it is bound instead, or added here with the
/// reason it is safe.
@Suite struct SQLInterpolationTests {
    /// File name and interpolated expression, with the reason each is safe.
    static let allowed: [String: String] = [
        "Database.swift: kind.rawValue": "BEGIN DEFERRED or BEGIN IMMEDIATE, from an enum",
        "Migrator.swift: Self.applicationID": "an integer constant; PRAGMA takes no parameters",
        "Migrator.swift: migration.version": "an integer from the embedded migrations; PRAGMA takes no parameters",
        "Repository+Import.swift: neededKiB": "an integer the code computes; PRAGMA takes no parameters",
        "Repository+Import.swift: defaultCacheSize": "an integer read from PRAGMA cache_size",
        "Repository+ChangeQueries.swift: Self.changeColumns": "a constant column list",
        "Repository+ChangeQueries.swift: filter": "\"\" or \"WHERE status = ?\"",
        "Repository+Status.swift: depth == nil ? \"\" : \"WHERE n.depth = ?\"": "a fixed fragment with a placeholder",
        "Repository+Names.swift: table": "\"nodes\" or \"containers\", chosen by a switch",
        "Repository+HourlyRates.swift: filterSQL": "fixed conditions with placeholders",
        "Repository+Bill.swift: customerSQL": "\"\" or \"customer = ?3 AND \"",
        "Repository+History.swift: filterSQL": "fixed conditions with placeholders",
        "Repository+Check.swift: names": "a constant SQL expression",
        "Repository+Check.swift: limit": "an integer",
        "ReadOnlyPolicy.swift: function": "a name from pragmaFunctions, a constant list of table-valued PRAGMA functions",
        // Messages that name a denied statement, not SQL that runs.
        "ReadOnlyPolicy.swift: first": "error message text",
        "ReadOnlyPolicy.swift: second": "error message text",
        "ReadOnlyPolicy.swift: $0": "error message text",
        "ReadOnlyDatabase.swift: path": "error message text",
    ]

    static var sqlWords: Regex<Substring> { #/\b(?:SELECT|INSERT|UPDATE|DELETE|PRAGMA|BEGIN|VACUUM|ATTACH|CREATE|DROP|WHERE|VALUES|LIMIT)\b/# }

    /// Returns the string literals of Swift source `text`, single-line and multi-line.
    static func stringLiterals(in text: String) -> [Substring] {
        text.matches(of: #/"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"/#).map { $0.output }
    }

    /// Returns the expressions interpolated into `literal` with `\( ... )`.
    static func interpolations(in literal: Substring) -> [String] {
        var result: [String] = []
        var index = literal.startIndex
        while let start = literal[index...].firstRange(of: "\\(") {
            var depth = 1
            var end = start.upperBound
            while end < literal.endIndex, depth > 0 {
                if literal[end] == "(" { depth += 1 }
                if literal[end] == ")" { depth -= 1 }
                end = literal.index(after: end)
            }
            result.append(String(literal[start.upperBound..<literal.index(before: end)]))
            index = end
        }
        return result
    }

    @Test func valuesAreBoundNotInterpolated() throws {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/PraaSDB")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)?.allObjects as? [String])
        var found = Set<String>()
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for literal in Self.stringLiterals(in: text) where literal.contains(Self.sqlWords) {
                for expression in Self.interpolations(in: literal) {
                    let key = "\((file as NSString).lastPathComponent): \(expression)"
                    found.insert(key)
                    #expect(Self.allowed[key] != nil, "\(key) is interpolated into SQL; bind it with ? instead")
                }
            }
        }
        // An entry no source uses any more is stale and must go, so the list stays a true record.
        #expect(Set(Self.allowed.keys).subtracting(found) == [])
    }
}
