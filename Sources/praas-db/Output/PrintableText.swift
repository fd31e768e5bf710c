/// Error messages quote what the user gave: an argument, an option, a value
/// from a file. A control or format character among them could move the
/// cursor, clear the screen or reorder the text on a terminal, so every such
/// character reaches standard error written as `\uXXXX` instead.
enum PrintableText {
    /// Returns `text` with each control or format character, and each line or
    /// paragraph separator, written as `\uXXXX`; line breaks are kept.
    static func escapingControlCharacters(_ text: String) -> String {
        // Most messages are printable ASCII, which needs no look at each character's category.
        if text.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A }) {
            return text
        }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control where scalar != "\n", .format, .lineSeparator, .paragraphSeparator:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
