/// The rules every node, container, customer and actor name follows.
///
/// A name is 1 to 128 characters with no control characters, no line or
/// paragraph separators, no bidirectional controls (which can make text
/// display differently from what it is) and no leading or trailing
/// whitespace. Quotes, semicolons, `%` and any other printable Unicode are
/// allowed: values are always bound, never pasted into SQL.
public enum Name {
    /// The longest name, in Unicode scalars: the same count SQLite's `length()` gives.
    public static let maxLength = 128

    /// Returns why `name` is not a valid name, or nil when it is.
    public static func problem(with name: String, maxLength: Int = maxLength) -> String? {
        let scalars = name.unicodeScalars
        if scalars.isEmpty {
            return "is empty"
        }
        if scalars.count > maxLength {
            return "is \(scalars.count) characters long; the maximum is \(maxLength)"
        }
        for scalar in scalars where isForbidden(scalar) {
            return "contains the control character U+\(hex(scalar.value)); names must be printable"
        }
        if let first = scalars.first, first.properties.isWhitespace {
            return "starts with whitespace"
        }
        if let last = scalars.last, last.properties.isWhitespace {
            return "ends with whitespace"
        }
        return nil
    }

    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator:
            return true
        default:
            // Unicode's Bidi_Control characters: embeddings, overrides, isolates and
            // the left-to-right, right-to-left and Arabic letter marks.
            return scalar.properties.isBidiControl
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The key under which two names count as the same: letter case is
    /// ignored, and because Swift compares and hashes strings by canonical
    /// equivalence, so is Unicode normalization ("Café" with a combining accent
    /// collides with "café").
    public static func collisionKey(_ name: String) -> String {
        name.lowercased()
    }
}
