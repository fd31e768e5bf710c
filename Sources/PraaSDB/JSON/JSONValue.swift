/// A parsed JSON document as a tree, for small inputs such as one container
/// object given on the command line. Object members keep their order.
enum JSONValue: Equatable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case scalar(JSONReader.Scalar)

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let left), .object(let right)):
            left.count == right.count && zip(left, right).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let left), .array(let right)):
            left == right
        case (.scalar(let left), .scalar(let right)):
            left == right
        default:
            false
        }
    }

    /// Parses a complete JSON document.
    ///
    /// - Throws: `JSONReader.SyntaxError` for invalid JSON or a key that appears twice in one object.
    static func parse(_ text: String) throws -> JSONValue {
        var utf8 = Array(text.utf8)
        return try utf8.withUnsafeMutableBytes { buffer in
            var reader = JSONReader(bytes: UnsafeRawBufferPointer(buffer))
            try reader.beginDocument()
            let value = try read(&reader)
            try reader.endDocument()
            return value
        }
    }

    private static func read(_ reader: inout JSONReader) throws -> JSONValue {
        switch try reader.peekKind() {
        case .object:
            try reader.beginObject()
            var members: [(key: String, value: JSONValue)] = []
            var first = true
            while true {
                guard let key = try reader.nextKey(first: first) else { break }
                first = false
                if members.contains(where: { $0.key == key }) {
                    throw JSONReader.SyntaxError(offset: reader.keyOffset, message: "the key \(JSONWriter.quoted(key)) appears twice in one object")
                }
                members.append((key, try read(&reader)))
            }
            return .object(members)
        case .array:
            try reader.beginArray()
            var elements: [JSONValue] = []
            var first = true
            while try reader.hasNextElement(first: first) {
                first = false
                elements.append(try read(&reader))
            }
            return .array(elements)
        default:
            return .scalar(try reader.readScalar())
        }
    }
}

extension JSONWriter {
    /// Writes the JSON document `text` as a value, laid out like the rest of the
    /// output. Text that is not valid JSON is written as a string.
    public mutating func embed(json text: String) {
        guard let value = try? JSONValue.parse(text) else {
            string(text)
            return
        }
        write(value)
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .object(let members):
            beginObject()
            for member in members {
                key(member.key)
                write(member.value)
            }
            endObject()
        case .array(let elements):
            beginArray()
            for element in elements {
                write(element)
            }
            endArray()
        case .scalar(.string(let text)):
            string(text)
        case .scalar(let scalar):
            raw(scalar.json)
        }
    }
}
