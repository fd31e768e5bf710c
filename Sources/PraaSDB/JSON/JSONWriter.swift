/// Builds JSON text into a byte buffer, with 4-space indentation and one
/// member or element per line, the layout of Python's `json.dumps(indent=4)`,
/// or on one line with no spaces when `indent` is 0.
///
/// The caller writes keys and values in order; the writer adds the commas, line
/// breaks and indentation. Strings are written as UTF-8 with only the escapes
/// JSON requires.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var level = 0
    /// Whether the container now open has a member yet, one entry per open level.
    private var hasMembers: [Bool] = []
    private var afterKey = false
    let indent: Int

    public init(indent: Int = 4, reservingCapacity capacity: Int = 0) {
        self.indent = indent
        bytes.reserveCapacity(capacity)
    }

    /// Hands the bytes written so far to the caller and empties the buffer, so a
    /// large document can be written in pieces.
    public mutating func drain() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    public mutating func beginObject() {
        beginValue()
        bytes.append(UInt8(ascii: "{"))
        level += 1
        hasMembers.append(false)
    }

    public mutating func endObject() {
        endContainer(closing: UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        beginValue()
        bytes.append(UInt8(ascii: "["))
        level += 1
        hasMembers.append(false)
    }

    public mutating func endArray() {
        endContainer(closing: UInt8(ascii: "]"))
    }

    public mutating func key(_ name: String) {
        beginValue()
        Self.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        if indent > 0 {
            bytes.append(UInt8(ascii: " "))
        }
        afterKey = true
    }

    public mutating func string(_ text: String) {
        beginValue()
        Self.appendQuoted(text, to: &bytes)
    }

    /// Writes `text` as it is; it must already be a valid JSON value, such as a
    /// number, a literal, or an array written by a `JSONWriter` with indent 0.
    public mutating func raw(_ text: String) {
        beginValue()
        bytes.append(contentsOf: text.utf8)
    }

    public mutating func integer(_ value: Int) {
        raw(String(value))
    }

    public mutating func boolean(_ value: Bool) {
        raw(value ? "true" : "false")
    }

    public mutating func null() {
        raw("null")
    }

    /// Writes `"key": [ "a", "b" ]` with each string on its own line, or `[]`.
    public mutating func stringArray(_ key: String, _ values: [String]) {
        self.key(key)
        beginArray()
        for value in values {
            string(value)
        }
        endArray()
    }

    /// Ends the document with a line break.
    public mutating func finish() {
        precondition(level == 0, "finish() called with \(level) containers still open")
        bytes.append(UInt8(ascii: "\n"))
    }

    private mutating func beginValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard level > 0 else { return }
        if hasMembers[level - 1] {
            bytes.append(UInt8(ascii: ","))
        }
        hasMembers[level - 1] = true
        newline()
    }

    private mutating func endContainer(closing: UInt8) {
        let hadMembers = hasMembers.removeLast()
        level -= 1
        if hadMembers {
            newline()
        }
        bytes.append(closing)
    }

    private mutating func newline() {
        guard indent > 0 else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * indent))
    }

    /// Returns `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var buffer: [UInt8] = []
        appendQuoted(text, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal. Besides what JSON requires, it
    /// escapes the C1 controls, the line and paragraph separators and the
    /// bidirectional controls (Unicode's Bidi_Control characters), which are
    /// valid JSON unescaped but can change how a terminal shows the text around
    /// them.
    static func appendQuoted(_ text: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"):
                    buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A:
                    buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D:
                    buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09:
                    buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0..<0x20, 0x7F:
                    appendEscape(UInt32(byte), to: &buffer)
                case 0xC2 where index + 1 < bytes.count && bytes[index + 1] < 0xA0:
                    // U+0080 to U+009F, the C1 controls.
                    appendEscape(UInt32(bytes[index + 1]), to: &buffer)
                    index += 1
                case 0xD8 where index + 1 < bytes.count && bytes[index + 1] == 0x9C:
                    // U+061C, the Arabic letter mark.
                    appendEscape(0x061C, to: &buffer)
                    index += 1
                case 0xE2 where index + 2 < bytes.count && isInvisibleControl(bytes[index + 1], bytes[index + 2]):
                    appendEscape(0x2000 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F), to: &buffer)
                    index += 2
                default:
                    buffer.append(byte)
                }
                index += 1
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// True for the UTF-8 continuation bytes after 0xE2 of U+200E and U+200F
    /// (left-to-right and right-to-left marks), U+2028 to U+202E (line and
    /// paragraph separators, bidirectional embeddings and overrides) and U+2066
    /// to U+2069 (bidirectional isolates).
    private static func isInvisibleControl(_ second: UInt8, _ third: UInt8) -> Bool {
        switch second {
        case 0x80: (0x8E...0x8F).contains(third) || (0xA8...0xAE).contains(third)
        case 0x81: (0xA6...0xA9).contains(third)
        default: false
        }
    }

    private static func appendEscape(_ scalar: UInt32, to buffer: inout [UInt8]) {
        let hex = Array(String(scalar, radix: 16).utf8)
        buffer.append(contentsOf: Array("\\u".utf8))
        buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 4 - hex.count))
        buffer.append(contentsOf: hex)
    }
}
