/// A pull parser over UTF-8 JSON text (RFC 8259).
///
/// It reads one token at a time, so a caller can decode a file of hundreds of
/// megabytes into its own types without building a tree first. Numbers keep
/// their exact text, so `0.2` is never rounded through a binary double, and
/// every error carries the byte offset where it happened.
///
/// It rejects what JSON does not allow and names it: a byte order mark,
/// trailing commas, `NaN` and `Infinity`, comments, single quotes, invalid
/// UTF-8, lone surrogates, control characters in strings, and nesting deeper
/// than `maxNesting`.
struct JSONReader {
    /// The kind of the next value.
    enum ValueKind: Equatable {
        case object, array, string, number, boolean, null
    }

    /// A scalar as it was written, so messages can quote it exactly.
    enum Scalar: Equatable {
        case string(String)
        case number(String)
        case boolean(Bool)
        case null

        /// The value in JSON notation: strings in double quotes, numbers as written.
        /// A string longer than `maxQuotedBytes` is cut short and ends in `..."`,
        /// so that a message about a value of megabytes stays short.
        var json: String {
            switch self {
            case .string(let text): Self.quoted(text)
            case .number(let text): text
            case .boolean(let value): value ? "true" : "false"
            case .null: "null"
            }
        }

        /// The maximum length, in UTF-8 bytes, of a string that `json` quotes whole.
        static let maxQuotedBytes = 256

        /// Returns `text` in double quotes for a message, cut short when it is
        /// longer than `maxQuotedBytes`.
        static func quoted(_ text: String) -> String {
            guard text.utf8.count > maxQuotedBytes else { return JSONWriter.quoted(text) }
            let start = JSONWriter.quoted(String(text.prefix(64)))
            return start.dropLast() + "...\""
        }

        /// The kind and the value, such as `a number 5` or `null`, for messages
        /// about the wrong type.
        var kindAndValue: String {
            if case .null = self {
                return "null"
            }
            return "\(kindDescription) \(json)"
        }

        /// "a string", "a number" and so on, for messages about the wrong type.
        var kindDescription: String {
            switch self {
            case .string: "a string"
            case .number: "a number"
            case .boolean: "a boolean"
            case .null: "null"
            }
        }
    }

    /// An error in the JSON text itself, at a byte offset.
    struct SyntaxError: Error, Equatable {
        let offset: Int
        let message: String
    }

    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0
    let maxNesting: Int
    private var nesting = 0
    /// The byte offset of the opening quote of the key `nextKey(first:)` returned last.
    private(set) var keyOffset = 0

    init(bytes: UnsafeRawBufferPointer, maxNesting: Int = 64) {
        self.bytes = bytes
        self.maxNesting = maxNesting
    }

    // MARK: - Document

    /// Checks what comes before the first value: an empty file, a byte order mark,
    /// or an encoding other than UTF-8.
    mutating func beginDocument() throws {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw SyntaxError(
                offset: 0,
                message: "the file starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow; "
                    + "save the file as UTF-8 without a BOM")
        }
        if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
            throw SyntaxError(offset: 0, message: "the file is UTF-16 encoded; save it as UTF-8")
        }
        skipWhitespace()
        if offset == bytes.count {
            throw SyntaxError(offset: 0, message: bytes.isEmpty ? "the file is empty" : "the file contains only whitespace")
        }
    }

    /// Checks that nothing but whitespace follows the top-level value.
    mutating func endDocument() throws {
        skipWhitespace()
        guard offset == bytes.count else {
            try rejectComment()
            throw SyntaxError(offset: offset, message: "unexpected \(describeNext()) after the end of the JSON value")
        }
    }

    // MARK: - Peeking

    /// Returns the kind of the next value without consuming it.
    mutating func peekKind() throws -> ValueKind {
        skipWhitespace()
        guard offset < bytes.count else {
            throw SyntaxError(offset: offset, message: "unexpected end of file; a value was expected")
        }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
        case UInt8(ascii: "n"):
            return matches("null") ? .null : .boolean
        default:
            throw invalidValueError()
        }
    }

    // MARK: - Objects

    /// Consumes `{`.
    mutating func beginObject() throws {
        try expectOpening(UInt8(ascii: "{"), kind: "an object")
    }

    /// Returns the next key of the current object and consumes the `:` after it,
    /// or returns nil and consumes `}` when the object ends.
    ///
    /// - Parameter first: true for the first call after `beginObject()`.
    mutating func nextKey(first: Bool) throws -> String? {
        skipWhitespace()
        if try consumeClosing(UInt8(ascii: "}"), first: first) {
            return nil
        }
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "'") {
                throw SyntaxError(offset: offset, message: "object keys must be in double quotes, not single quotes")
            }
            try rejectComment()
            throw SyntaxError(offset: offset, message: "expected a key in double quotes, found \(describeNext())")
        }
        keyOffset = offset
        let key = try readStringToken()
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
            throw SyntaxError(offset: offset, message: "expected ':' after the key \(JSONWriter.quoted(key)), found \(describeNext())")
        }
        offset += 1
        return key
    }

    // MARK: - Arrays

    /// Consumes `[`.
    mutating func beginArray() throws {
        try expectOpening(UInt8(ascii: "["), kind: "an array")
    }

    /// Returns true when another element follows, or consumes `]` and returns false.
    ///
    /// - Parameter first: true for the first call after `beginArray()`.
    mutating func hasNextElement(first: Bool) throws -> Bool {
        skipWhitespace()
        return try !consumeClosing(UInt8(ascii: "]"), first: first)
    }

    // MARK: - Scalars

    /// Reads a string, number, boolean or null.
    ///
    /// - Throws: `SyntaxError` when the next value is an object or array, or invalid.
    mutating func readScalar() throws -> Scalar {
        switch try peekKind() {
        case .string: return .string(try readStringToken())
        case .number: return .number(try readNumberToken())
        case .boolean:
            if matches("true") {
                offset += 4
                return .boolean(true)
            }
            if matches("false") {
                offset += 5
                return .boolean(false)
            }
            throw invalidValueError()
        case .null:
            offset += 4
            return .null
        case .object, .array:
            throw SyntaxError(offset: offset, message: "expected a single value, found \(describeNext())")
        }
    }

    /// Skips the next value, however deeply nested.
    mutating func skipValue() throws {
        switch try peekKind() {
        case .object:
            try beginObject()
            var first = true
            while try nextKey(first: first) != nil {
                first = false
                try skipValue()
            }
        case .array:
            try beginArray()
            var first = true
            while try hasNextElement(first: first) {
                first = false
                try skipValue()
            }
        default:
            _ = try readScalar()
        }
    }

    // MARK: - Positions

    /// The 1-based line and column (counted in bytes) of a byte offset.
    func lineAndColumn(of position: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        let end = min(position, bytes.count)
        var index = 0
        while index < end {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        return (line, end - lineStart + 1)
    }

    // MARK: - Tokens

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    private func matches(_ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard offset + length <= bytes.count else { return false }
        for index in 0..<length where bytes[offset + index] != word.utf8Start[index] {
            return false
        }
        // "nullable" or "true1" are not literals.
        if offset + length < bytes.count, Self.isIdentifierByte(bytes[offset + length]) {
            return false
        }
        return true
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    private mutating func expectOpening(_ opening: UInt8, kind: String) throws {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == opening else {
            throw SyntaxError(offset: offset, message: "expected \(kind), found \(describeNext())")
        }
        nesting += 1
        guard nesting <= maxNesting else {
            throw SyntaxError(offset: offset, message: "objects and arrays are nested more than \(maxNesting) deep")
        }
        offset += 1
    }

    /// Consumes the closing bracket, or the comma before the next member.
    /// Returns true when the container ended.
    private mutating func consumeClosing(_ closing: UInt8, first: Bool) throws -> Bool {
        guard offset < bytes.count else {
            throw SyntaxError(
                offset: offset,
                message: "unexpected end of file; expected '\(Character(Unicode.Scalar(closing)))' or ','")
        }
        if bytes[offset] == closing {
            offset += 1
            nesting -= 1
            return true
        }
        if first {
            return false
        }
        guard bytes[offset] == UInt8(ascii: ",") else {
            try rejectComment()
            throw SyntaxError(
                offset: offset,
                message: "expected ',' or '\(Character(Unicode.Scalar(closing)))', found \(describeNext())")
        }
        let commaOffset = offset
        offset += 1
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == closing {
            throw SyntaxError(
                offset: commaOffset,
                message: "trailing comma before '\(Character(Unicode.Scalar(closing)))', which JSON does not allow; "
                    + "delete the comma")
        }
        return false
    }

    /// Throws when a `//` or `/*` comment starts at the current offset.
    private func rejectComment() throws {
        if matchesBytes("//") || matchesBytes("/*") {
            throw SyntaxError(offset: offset, message: "JSON does not allow comments")
        }
    }

    private func matchesBytes(_ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard offset + length <= bytes.count else { return false }
        return (0..<length).allSatisfy { bytes[offset + $0] == text.utf8Start[$0] }
    }

    private mutating func readStringToken() throws -> String {
        let start = offset
        offset += 1  // the opening quote
        let contentStart = offset
        var isPlainASCII = true

        // Fast path: find the closing quote while checking for escapes and bytes that need care.
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                break
            }
            if byte == UInt8(ascii: "\\") || byte >= 0x80 {
                isPlainASCII = false
                break
            }
            if byte < 0x20 {
                throw controlCharacterError(byte)
            }
            offset += 1
        }
        if isPlainASCII {
            guard offset < bytes.count else {
                throw SyntaxError(offset: start, message: "unterminated string; a closing '\"' is missing")
            }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[contentStart..<offset]), as: UTF8.self)
            offset += 1
            return text
        }

        offset = contentStart
        var buffer: [UInt8] = []
        buffer.reserveCapacity(32)
        while true {
            guard offset < bytes.count else {
                throw SyntaxError(offset: start, message: "unterminated string; a closing '\"' is missing")
            }
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    throw SyntaxError(offset: start, message: "the string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                try readEscape(into: &buffer)
            case 0..<0x20:
                throw controlCharacterError(byte)
            default:
                buffer.append(byte)
                offset += 1
            }
        }
    }

    private func controlCharacterError(_ byte: UInt8) -> SyntaxError {
        let hex = String(byte, radix: 16, uppercase: true)
        let name = byte == 0x0A ? "a line break" : byte == 0x09 ? "a tab" : "control character U+00\(byte < 16 ? "0" : "")\(hex)"
        return SyntaxError(offset: offset, message: "\(name) inside a string must be escaped (for example \\n or \\t)")
    }

    private mutating func readEscape(into buffer: inout [UInt8]) throws {
        let escapeStart = offset
        offset += 1
        guard offset < bytes.count else {
            throw SyntaxError(offset: escapeStart, message: "unterminated escape sequence")
        }
        let byte = bytes[offset]
        offset += 1
        switch byte {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHexQuad(escapeStart: escapeStart)
            if (0xD800...0xDBFF).contains(scalar) {
                guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u")
                else {
                    throw SyntaxError(offset: escapeStart, message: "a high surrogate \\u escape is not followed by a low surrogate")
                }
                offset += 2
                let low = try readHexQuad(escapeStart: escapeStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw SyntaxError(offset: escapeStart, message: "a high surrogate \\u escape is not followed by a low surrogate")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw SyntaxError(offset: escapeStart, message: "a low surrogate \\u escape has no high surrogate before it")
            }
            guard let unicode = Unicode.Scalar(scalar) else {
                throw SyntaxError(offset: escapeStart, message: "invalid \\u escape")
            }
            buffer.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            // Only a printable ASCII character is quoted as it is; any other byte could upset a terminal.
            let escape: String
            if (0x21...0x7E).contains(byte) {
                escape = "'\\\(Character(Unicode.Scalar(byte)))'"
            } else {
                escape = "'\\' followed by the byte 0x\(byte < 0x10 ? "0" : "")\(String(byte, radix: 16, uppercase: true))"
            }
            throw SyntaxError(
                offset: escapeStart,
                message: "invalid escape \(escape); JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX")
        }
    }

    private mutating func readHexQuad(escapeStart: Int) throws -> UInt32 {
        guard offset + 4 <= bytes.count else {
            throw SyntaxError(offset: escapeStart, message: "a \\u escape needs four hex digits")
        }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default:
                throw SyntaxError(offset: escapeStart, message: "a \\u escape needs four hex digits")
            }
            value = value << 4 | digit
            offset += 1
        }
        return value
    }

    private mutating func readNumberToken() throws -> String {
        let start = offset
        if bytes[offset] == UInt8(ascii: "-") {
            offset += 1
            if matches("Infinity") || matches("inf") || matches("infinity") {
                throw SyntaxError(offset: start, message: "-Infinity is not a JSON number; write a finite number")
            }
        }
        guard offset < bytes.count, isDigit(bytes[offset]) else {
            throw SyntaxError(offset: start, message: "invalid number: '-' must be followed by a digit")
        }
        if bytes[offset] == UInt8(ascii: "0"), offset + 1 < bytes.count, isDigit(bytes[offset + 1]) {
            throw SyntaxError(offset: start, message: "invalid number: JSON numbers cannot have leading zeros")
        }
        skipDigits()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard offset < bytes.count, isDigit(bytes[offset]) else {
                throw SyntaxError(offset: start, message: "invalid number: a digit must follow the decimal point")
            }
            skipDigits()
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            guard offset < bytes.count, isDigit(bytes[offset]) else {
                throw SyntaxError(offset: start, message: "invalid number: the exponent has no digits")
            }
            skipDigits()
        }
        if offset < bytes.count, Self.isIdentifierByte(bytes[offset]) || bytes[offset] == UInt8(ascii: ".") {
            throw SyntaxError(offset: start, message: "invalid number starting '\(preview(from: start))'")
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while offset < bytes.count, isDigit(bytes[offset]) {
            offset += 1
        }
    }

    private func invalidValueError() -> SyntaxError {
        let word = preview(from: offset)
        let lowered = word.lowercased()
        if lowered == "nan" || lowered == "infinity" || lowered == "inf" || lowered == "+infinity" || lowered == "+inf" {
            return SyntaxError(offset: offset, message: "\(word) is not a JSON number; write a finite number")
        }
        if let first = word.first, first == "'" {
            return SyntaxError(offset: offset, message: "strings must be in double quotes, not single quotes")
        }
        if word.hasPrefix("//") || word.hasPrefix("/*") {
            return SyntaxError(offset: offset, message: "JSON does not allow comments")
        }
        if word.first == "+" {
            return SyntaxError(offset: offset, message: "invalid number '\(word)': JSON numbers cannot start with '+'")
        }
        if word.first == "." {
            return SyntaxError(offset: offset, message: "invalid number '\(word)': a digit must come before the decimal point")
        }
        if word.first == "]" || word.first == "}" || word.first == "," {
            return SyntaxError(offset: offset, message: "expected a value, found '\(word.first!)'")
        }
        return SyntaxError(offset: offset, message: "expected a value, found '\(word)'")
    }

    /// Up to 20 bytes of the text at `position`, stopping at a delimiter, with
    /// control and format characters written as `\uXXXX`, so that a message
    /// quoting them cannot move the cursor or reorder text on a terminal.
    private func preview(from position: Int) -> String {
        var end = position
        while end < bytes.count, end - position < 20 {
            let byte = bytes[end]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == UInt8(ascii: ",")
                || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ":")
            {
                if end == position {
                    end += 1
                }
                break
            }
            end += 1
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self)
        var printable = ""
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator:
                let hex = String(scalar.value, radix: 16)
                printable += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default:
                printable.unicodeScalars.append(scalar)
            }
        }
        return printable
    }

    private func describeNext() -> String {
        guard offset < bytes.count else { return "the end of the file" }
        return "'\(preview(from: offset))'"
    }
}
