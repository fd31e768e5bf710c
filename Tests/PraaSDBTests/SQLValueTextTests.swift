import Testing

@testable import PraaSDB

@Suite struct SQLValueTextTests {
    @Test func displayTextMatchesShell() {
        let cases: [(value: SQLValue, text: String)] = [
            (.null, ""),
            (.integer(-42), "-42"),
            (.real(0.1 + 0.2), "0.3"),
            (.real(1), "1.0"),
            (.real(1e20), "1.0e+20"),
            (.real(2.5e-7), "2.5e-07"),
            (.real(5e-324), "4.94065645841247e-324"),
            (.real(.infinity), "Inf"),
            (.real(-.infinity), "-Inf"),
            (.text("a, \"b\"\n"), "a, \"b\"\n"),
            (.blob([0x00, 0x0F, 0xFF]), "000fff"),
            (.blob([]), ""),
        ]
        for (value, text) in cases {
            #expect(value.displayText == text, "\(value)")
        }
    }

    @Test func hexadecimalOfEveryByte() {
        let bytes = (0...255).map(UInt8.init)
        let expected = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(SQLValue.hexadecimal(bytes) == expected)
        #expect(SQLValue.hexadecimal(bytes).utf8.count == 512)
        #expect(SQLValue.hexadecimal([0xDE, 0xAD, 0xBE, 0xEF]) == "deadbeef")
        #expect(SQLValue.hexadecimal([]) == "")
    }

    @Test func jsonValueTypes() {
        var json = JSONWriter(indent: 0)
        json.beginArray()
        for value: SQLValue in [
            .null, .integer(7), .real(0.1 + 0.2), .real(1), .real(-.infinity), .text("a\"b\n"), .blob([0xAB]),
        ] {
            json.value(value)
        }
        json.endArray()
        #expect(String(decoding: json.bytes, as: UTF8.self) == "[null,7,0.30000000000000004,1.0,-9e999,\"a\\\"b\\n\",\"ab\"]")
    }
}
