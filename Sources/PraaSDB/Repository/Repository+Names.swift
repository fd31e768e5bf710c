/// What `Repository.names(of:prefix:limit:)` lists.
public enum NameKind: String, Sendable, CaseIterable {
    /// Node names, in id order.
    case nodes
    /// Container names, in registration order.
    case containers
    /// Change ids, newest first.
    case changes
    /// Built-in topology names; these come from the binary, not the database.
    case topologies
}

extension Repository {
    /// Returns the names of one kind that start with `prefix`, for shell
    /// completion: at most `limit` of them.
    ///
    /// Node and container names are matched on a range of the unique name index,
    /// so a prefix costs a short index scan even on a network of a million nodes.
    public func names(of kind: NameKind, prefix: String = "", limit: Int = 1000) throws -> [String] {
        switch kind {
        case .topologies:
            return Array(BuiltInTopology.all.map(\.name).filter { $0.hasPrefix(prefix) }.prefix(limit))
        case .changes:
            return try perform("listing change ids") {
                try database.rows(
                    "SELECT id FROM changes WHERE substr(CAST(id AS TEXT), 1, length(?1)) = ?1 ORDER BY id DESC LIMIT ?2",
                    prefix, limit
                ) { String($0.int(0)) }
            }
        case .nodes, .containers:
            let table = kind == .nodes ? "nodes" : "containers"
            return try perform("listing \(table) names") {
                try database.rows(
                    """
                    SELECT name FROM \(table)
                    WHERE name >= ?1 AND (?2 IS NULL OR name < ?2) AND substr(name, 1, length(?1)) = ?1
                    ORDER BY id LIMIT ?3
                    """, prefix, Self.upperBound(ofPrefix: prefix), limit
                ) { $0.string(0) }
            }
        }
    }

    /// The smallest string greater than every string that starts with `prefix`,
    /// in SQLite's BINARY collation (byte order of UTF-8, which is code point
    /// order); nil when there is none, for an empty prefix or one ending in the
    /// last code point.
    static func upperBound(ofPrefix prefix: String) -> String? {
        guard var last = prefix.unicodeScalars.last?.value else { return nil }
        var scalars = Array(prefix.unicodeScalars.dropLast())
        last += 1
        // Skip the surrogate range, which holds no scalar values.
        if (0xD800...0xDFFF).contains(last) {
            last = 0xE000
        }
        guard let next = Unicode.Scalar(last) else { return nil }
        scalars.append(next)
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }
}
