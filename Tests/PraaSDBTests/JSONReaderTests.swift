import Foundation
import Testing

@testable import PraaSDB

@Suite struct JSONReaderTests {
    /// Parses `bytes` as one document and returns the syntax error, or nil.
    static func syntaxError(_ bytes: [UInt8], maxNesting: Int = 64) -> JSONReader.SyntaxError? {
        bytes.withUnsafeBytes { buffer in
            var reader = JSONReader(bytes: buffer, maxNesting: maxNesting)
            do {
                try reader.beginDocument()
                try reader.skipValue()
                try reader.endDocument()
                return nil
            } catch let error as JSONReader.SyntaxError {
                return error
            } catch {
                return JSONReader.SyntaxError(offset: -1, message: "unexpected error \(error)")
            }
        }
    }

    static func syntaxError(_ text: String) -> JSONReader.SyntaxError? {
        syntaxError(Array(text.utf8))
    }

    // MARK: - Rejected input

    @Test(arguments: [
        ("trailing comma in array", "[1, 2,]", 5, "trailing comma before ']', which JSON does not allow; delete the comma"),
        ("trailing comma in object", "{\"a\": 1,\n}", 7, "trailing comma before '}', which JSON does not allow; delete the comma"),
        ("NaN", "[NaN]", 1, "NaN is not a JSON number; write a finite number"),
        ("lowercase nan", "[nan]", 1, "nan is not a JSON number; write a finite number"),
        ("Infinity", "[Infinity]", 1, "Infinity is not a JSON number; write a finite number"),
        ("-Infinity", "[-Infinity]", 1, "-Infinity is not a JSON number; write a finite number"),
        ("+Infinity", "[+Infinity]", 1, "+Infinity is not a JSON number; write a finite number"),
        ("leading zero", "[01]", 1, "invalid number: JSON numbers cannot have leading zeros"),
        ("negative leading zero", "[-007]", 1, "invalid number: JSON numbers cannot have leading zeros"),
        ("plus sign", "[+1]", 1, "invalid number '+1': JSON numbers cannot start with '+'"),
        ("bare decimal point", "[.5]", 1, "invalid number '.5': a digit must come before the decimal point"),
        ("no digit after point", "[1.]", 1, "invalid number: a digit must follow the decimal point"),
        ("empty exponent", "[1e+]", 1, "invalid number: the exponent has no digits"),
        ("lone minus", "[-]", 1, "invalid number: '-' must be followed by a digit"),
        ("letters after number", "[12abc]", 1, "invalid number starting '12abc'"),
        ("two decimal points", "[1.2.3]", 1, "invalid number starting '1.2.3'"),
        ("single-quoted string", "['hbo']", 1, "strings must be in double quotes, not single quotes"),
        ("single-quoted key", "{'name': 1}", 1, "object keys must be in double quotes, not single quotes"),
        ("line comment first", "// state\n{}", 0, "JSON does not allow comments"),
        ("block comment as value", "[/* none */]", 1, "JSON does not allow comments"),
        ("comment after value", "[1 // one\n]", 3, "JSON does not allow comments"),
        ("comment before key", "{/* c */ \"a\": 1}", 1, "JSON does not allow comments"),
        ("comment after document", "{} // end", 3, "JSON does not allow comments"),
        ("tab in string", "[\"a\tb\"]", 3, "a tab inside a string must be escaped (for example \\n or \\t)"),
        ("line break in string", "[\"a\nb\"]", 3, "a line break inside a string must be escaped (for example \\n or \\t)"),
        ("control character in string", "[\"a\u{1}b\"]", 3,
         "control character U+0001 inside a string must be escaped (for example \\n or \\t)"),
        ("control character after escape", "[\"\\n\u{1F}\"]", 4,
         "control character U+001F inside a string must be escaped (for example \\n or \\t)"),
        ("lone high surrogate", "[\"\\uD83D\"]", 2, "a high surrogate \\u escape is not followed by a low surrogate"),
        ("high surrogate then letter", "[\"\\uD83Dx\"]", 2, "a high surrogate \\u escape is not followed by a low surrogate"),
        ("two high surrogates", "[\"\\uD83D\\uD83D\"]", 2, "a high surrogate \\u escape is not followed by a low surrogate"),
        ("lone low surrogate", "[\"\\uDE80\"]", 2, "a low surrogate \\u escape has no high surrogate before it"),
        ("short unicode escape", "[\"\\u12\"]", 2, "a \\u escape needs four hex digits"),
        ("unknown escape", "[\"\\x41\"]", 2, "invalid escape '\\x'; JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"),
        ("unterminated string", "{\"name\": \"hbo", 9, "unterminated string; a closing '\"' is missing"),
        ("unterminated escaped string", "[\"a\\n", 1, "unterminated string; a closing '\"' is missing"),
        ("unterminated array", "[1, 2", 5, "unexpected end of file; expected ']' or ','"),
        ("unterminated object", "{\"a\": 1", 7, "unexpected end of file; expected '}' or ','"),
        ("missing value", "{\"a\": }", 6, "expected a value, found '}'"),
        ("missing colon", "{\"a\" 1}", 5, "expected ':' after the key \"a\", found '1'"),
        ("missing comma", "[1 2]", 3, "expected ',' or ']', found '2'"),
        ("key not a string", "{1: 2}", 1, "expected a key in double quotes, found '1'"),
        ("misspelled literal", "[ture]", 1, "expected a value, found 'ture'"),
        ("literal with suffix", "[nullable]", 1, "expected a value, found 'nullable'"),
        ("Python literal", "[None]", 1, "expected a value, found 'None'"),
        ("empty file", "", 0, "the file is empty"),
        ("only whitespace", " \n\t\r\n", 0, "the file contains only whitespace"),
        ("trailing garbage", "{}\nx", 3, "unexpected 'x' after the end of the JSON value"),
        ("second document", "{} {}", 3, "unexpected '{' after the end of the JSON value"),
    ] as [(String, String, Int, String)])
    func invalidJSONIsExplained(_ label: String, text: String, offset: Int, message: String) {
        let error = Self.syntaxError(text)
        #expect(error?.message == message, "\(label)")
        #expect(error?.offset == offset, "\(label)")
    }

    @Test func byteOrderMarkIsRejected() {
        let error = Self.syntaxError([0xEF, 0xBB, 0xBF] + Array("{}".utf8))
        #expect(
            error?.message
                == "the file starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow; "
                + "save the file as UTF-8 without a BOM")
        #expect(error?.offset == 0)
    }

    @Test func utf16IsRejected() {
        let littleEndian = Self.syntaxError([0xFF, 0xFE, UInt8(ascii: "{"), 0, UInt8(ascii: "}"), 0])
        #expect(littleEndian?.message == "the file is UTF-16 encoded; save it as UTF-8")
        let bigEndian = Self.syntaxError([0xFE, 0xFF, 0, UInt8(ascii: "{"), 0, UInt8(ascii: "}")])
        #expect(bigEndian?.message == "the file is UTF-16 encoded; save it as UTF-8")
    }

    @Test func invalidUTF8IsRejected() {
        let error = Self.syntaxError(Array("[\"ab".utf8) + [0xC3] + Array("\"]".utf8))
        #expect(error?.message == "the string is not valid UTF-8")
        #expect(error?.offset == 1)
    }

    @Test func nestingLimitIsEnforced() {
        let allowed = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(Self.syntaxError(allowed) == nil)

        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = Self.syntaxError(tooDeep)
        #expect(error?.message == "objects and arrays are nested more than 64 deep")
        #expect(error?.offset == 64)

        let objects = String(repeating: "{\"a\":", count: 3) + "1" + String(repeating: "}", count: 3)
        #expect(Self.syntaxError(Array(objects.utf8), maxNesting: 3) == nil)
        let deeper = String(repeating: "{\"a\":", count: 4) + "1" + String(repeating: "}", count: 4)
        #expect(
            Self.syntaxError(Array(deeper.utf8), maxNesting: 3)?.message == "objects and arrays are nested more than 3 deep")
    }

    // MARK: - Accepted input

    @Test(arguments: [
        "{}",
        "[]",
        " \n{ } \n",
        "0",
        "-0",
        "0.5e-10",
        "1E+2",
        "\"\"",
        "true",
        "null",
        "[false, null, {\"a\": [1, {}]}]",
        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e6\\uD83D\\uDE80\"",
        "\"Lillestrøm\"",
        "\"\u{7F}\"",
    ])
    func validJSONIsAccepted(text: String) {
        #expect(Self.syntaxError(text) == nil)
    }

    @Test func numbersKeepExactText() throws {
        let value = try JSONValue.parse("[0.6000000000000001, 1e400, -0.0, 12345678901234567890123]")
        let expected: [JSONValue] = [
            .scalar(.number("0.6000000000000001")), .scalar(.number("1e400")), .scalar(.number("-0.0")),
            .scalar(.number("12345678901234567890123")),
        ]
        #expect(value == .array(expected))
    }

    @Test func escapesDecodeToText() throws {
        let value = try JSONValue.parse("[\"a\\\"b\\\\c\\/d\\n\", \"\\u00e6\\uD83D\\uDE80\", \"\\u0000\"]")
        let expected: [JSONValue] = [.scalar(.string("a\"b\\c/d\n")), .scalar(.string("æ🚀")), .scalar(.string("\u{0}"))]
        #expect(value == .array(expected))
    }

    @Test func objectsKeepMemberOrder() throws {
        let value = try JSONValue.parse("{\"b\": 1, \"a\": true, \"c\": null}")
        let expected = JSONValue.object([
            (key: "b", value: .scalar(.number("1"))), (key: "a", value: .scalar(.boolean(true))),
            (key: "c", value: .scalar(.null)),
        ])
        #expect(value == expected)
    }

    @Test func duplicateKeyIsRejected() {
        let error = #expect(throws: JSONReader.SyntaxError.self) {
            try JSONValue.parse("{\"name\": \"a\", \"name\": \"b\"}")
        }
        #expect(error?.message == "the key \"name\" appears twice in one object")
        #expect(error?.offset == 14)
    }

    // MARK: - Pull interface

    @Test func pullReaderWalksObject() throws {
        let text = "{\"name\": \"N0\", \"children\": [\"N1\", \"N2\"], \"leaf\": false}"
        var keys: [String] = []
        var scalars: [JSONReader.Scalar] = []
        try Array(text.utf8).withUnsafeBytes { buffer in
            var reader = JSONReader(bytes: buffer)
            try reader.beginDocument()
            #expect(try reader.peekKind() == .object)
            try reader.beginObject()
            var first = true
            while let key = try reader.nextKey(first: first) {
                first = false
                keys.append(key)
                if try reader.peekKind() == .array {
                    try reader.beginArray()
                    var firstElement = true
                    while try reader.hasNextElement(first: firstElement) {
                        firstElement = false
                        scalars.append(try reader.readScalar())
                    }
                } else {
                    scalars.append(try reader.readScalar())
                }
            }
            try reader.endDocument()
        }
        #expect(keys == ["name", "children", "leaf"])
        #expect(scalars == [.string("N0"), .string("N1"), .string("N2"), .boolean(false)])
    }

    @Test func readScalarRejectsContainer() throws {
        let message = try Array("[[1]]".utf8).withUnsafeBytes { buffer -> String? in
            var reader = JSONReader(bytes: buffer)
            try reader.beginDocument()
            try reader.beginArray()
            _ = try reader.hasNextElement(first: true)
            do {
                _ = try reader.readScalar()
                return nil
            } catch let error as JSONReader.SyntaxError {
                return error.message
            }
        }
        #expect(message == "expected a single value, found '[1'")
    }

    @Test func scalarsDescribeThemselves() {
        #expect(JSONReader.Scalar.string("a\"b").json == "\"a\\\"b\"")
        #expect(JSONReader.Scalar.number("0.2").json == "0.2")
        #expect(JSONReader.Scalar.boolean(true).json == "true")
        #expect(JSONReader.Scalar.null.json == "null")
        #expect(JSONReader.Scalar.string("").kindDescription == "a string")
        #expect(JSONReader.Scalar.number("1").kindDescription == "a number")
        #expect(JSONReader.Scalar.boolean(false).kindDescription == "a boolean")
        #expect(JSONReader.Scalar.null.kindDescription == "null")
    }

    @Test(arguments: [
        (0, 1, 1),
        (3, 1, 4),
        (4, 2, 1),
        (6, 2, 3),
        (9, 3, 3),
        (100, 3, 4),
    ])
    func lineAndColumnCountBytes(offset: Int, line: Int, column: Int) {
        let bytes = Array("abc\nde\nf\u{E6}".utf8)
        bytes.withUnsafeBytes { buffer in
            let reader = JSONReader(bytes: buffer)
            let position = reader.lineAndColumn(of: offset)
            #expect(position.line == line)
            #expect(position.column == column)
        }
    }
}
