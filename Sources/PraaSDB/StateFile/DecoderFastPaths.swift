/// Shortcuts for the values that make up almost all of a large state file:
/// plain ASCII names such as `N123` or `h24-001`, and whole numbers such as
/// `"8192"`. Each returns exactly what the general check returns, and falls
/// back to it for any other input.

/// Returns why `name` is not a valid name, or nil when it is, as
/// `Name.problem(with:maxLength:)` does.
///
/// A name of printable ASCII (U+0020 to U+007E) that neither starts nor ends
/// with a space is valid when its length is within bounds. It has no control
/// or separator characters, and ASCII has no other whitespace outside the
/// control characters, so only those names skip the Unicode property lookups.
func nameProblem(_ name: String, maxLength: Int = Name.maxLength) -> String? {
    var name = name
    let isPlainASCII = name.withUTF8 { bytes in
        guard !bytes.isEmpty, bytes.count <= maxLength, bytes.first != 0x20, bytes.last != 0x20 else {
            return false
        }
        return bytes.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }
    }
    return isPlainASCII ? nil : Name.problem(with: name, maxLength: maxLength)
}

/// Parses a decimal quantity as `Quantity.scaled(_:decimals:maximum:)` does.
///
/// Text of 1 to 15 ASCII digits and nothing else is read directly: multiplied
/// by at most 10^3 it fits an `Int64`, so no check but the maximum applies.
/// Everything else, such as `0.2`, `-1` or `2.56e2`, goes to `Quantity`.
func scaledQuantity(_ text: String, decimals: Int, maximum: Int64) -> Result<Int64, Quantity.Problem> {
    precondition(decimals >= 0 && decimals <= 3, "the shortcut covers 0 to 3 decimals")
    var text = text
    let digitsOnly: Int64? = text.withUTF8 { bytes in
        guard !bytes.isEmpty, bytes.count <= 15 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }
    guard var value = digitsOnly else {
        return Quantity.scaled(text, decimals: decimals, maximum: maximum)
    }
    for _ in 0..<decimals {
        value *= 10
    }
    return value <= maximum ? .success(value) : .failure(.tooLarge)
}

/// Returns each name that appears in `names` after an earlier, equal name, in
/// order: the duplicates a `Set` would reject. Short lists, the usual case, are
/// compared pairwise, because building a set for each node costs more.
func repeatedNames(in names: [String]) -> [String] {
    guard names.count > 1 else { return [] }
    if names.count <= 16 {
        var repeated: [String] = []
        for index in 1..<names.count where names[..<index].contains(names[index]) {
            repeated.append(names[index])
        }
        return repeated
    }
    var seen = Set<String>()
    return names.filter { !seen.insert($0).inserted }
}

/// A set of names that stays a plain array while it is small, because most
/// nodes list only a few children and hashing each name costs more than
/// comparing it with a few others.
struct SmallNameSet {
    private var names: [String] = []
    private var large: Set<String>?

    /// Adds `name` and returns true, or returns false when it is already in the set.
    mutating func insert(_ name: String) -> Bool {
        if large != nil {
            return large!.insert(name).inserted
        }
        if names.contains(name) {
            return false
        }
        names.append(name)
        if names.count > 16 {
            large = Set(names)
            names = []
        }
        return true
    }

    func contains(_ name: String) -> Bool {
        large?.contains(name) ?? names.contains(name)
    }
}

/// The index of each valid, unique node name in a node list.
///
/// When every node k is named `N<k>`, as in every file the prototype or
/// praas-db writes, an index is read off the name and no dictionary is built,
/// which saves hashing every name of a large network twice.
struct NodeNameIndex {
    private var byName: [String: Int]?
    private let nodeCount: Int

    /// An index that reads `N<k>` as k, for a list whose names are all canonical.
    init(canonicalNamesOf nodeCount: Int) {
        self.nodeCount = nodeCount
        byName = nil
    }

    /// An empty index to fill with `insert`.
    init() {
        nodeCount = 0
        byName = [:]
    }

    subscript(name: String) -> Int? {
        guard let byName else {
            return Self.canonicalIndex(of: name).flatMap { $0 < nodeCount ? $0 : nil }
        }
        return byName[name]
    }

    mutating func insert(_ name: String, at index: Int) {
        precondition(byName != nil, "an index of canonical names is complete")
        byName![name] = index
    }

    /// Returns k when `name` is exactly `N<k>`, as `"N\(k)"` writes it: no sign and
    /// no leading zero. Returns nil for any other name.
    static func canonicalIndex(of name: String) -> Int? {
        var name = name
        return name.withUTF8 { bytes -> Int? in
            guard bytes.count >= 2, bytes.count <= 19, bytes[0] == UInt8(ascii: "N") else { return nil }
            if bytes[1] == UInt8(ascii: "0") {
                return bytes.count == 2 ? 0 : nil
            }
            var value = 0
            for byte in bytes.dropFirst() {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
    }
}
