/// The rules every node, container, customer and actor name follows.
///
/// A name is 1 to 128 characters without leading or trailing whitespace. It
/// contains no control characters, no line or paragraph separators and no
/// format characters (Unicode category Cf), such as the bidirectional
/// controls, zero-width spaces and joiners, the word joiner, the byte order
/// mark and the soft hyphen. Format characters are invisible or make text
/// display differently from what it is. A name also cannot contain U+FFFD,
/// which replaces bytes that were not valid UTF-8. Quotes, semicolons,
/// `%` and any other printable Unicode are allowed: values are always bound,
/// never pasted into SQL.
public enum Name {
    /// The longest name, in Unicode scalars: the same count SQLite's `length()` gives.
    public static let maxLength = 128

    /// Returns why `name` is not a valid name, or nil when it is.
    ///
    /// A forbidden character is named as U+XXXX with its position, counted in
    /// Unicode scalars from 1, the same unit as the length.
    public static func problem(with name: String, maxLength: Int = maxLength) -> String? {
        let scalars = name.unicodeScalars
        if scalars.isEmpty {
            return "is empty"
        }
        if scalars.count > maxLength {
            return "is \(scalars.count) characters long; the maximum is \(maxLength)"
        }
        for (offset, scalar) in scalars.enumerated() {
            if let problem = problem(with: scalar, position: offset + 1) {
                return problem
            }
        }
        if let first = scalars.first, first.properties.isWhitespace {
            return "starts with whitespace"
        }
        if let last = scalars.last, last.properties.isWhitespace {
            return "ends with whitespace"
        }
        return nil
    }

    /// Returns why a name cannot contain `scalar`, found at `position`, or nil when it can.
    private static func problem(with scalar: Unicode.Scalar, position: Int) -> String? {
        let code = "U+\(hex(scalar.value))"
        if scalar == "\u{FFFD}" {
            return "contains \(code), the replacement character for bytes that are not valid UTF-8, at position \(position); "
                + "write the name in UTF-8"
        }
        // Unicode's Bidi_Control characters: embeddings, overrides, isolates and the
        // left-to-right, right-to-left and Arabic letter marks. All of them are also
        // format characters, so they are checked first for the more specific message.
        if scalar.properties.isBidiControl {
            return "contains the bidirectional control character \(code) at position \(position); names must be printable"
        }
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator:
            return "contains the control character \(code) at position \(position); names must be printable"
        case .format:
            return "contains the format character \(code) at position \(position); names must be printable"
        default:
            return nil
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
