import Testing

@testable import PraaSDB

@Suite struct NameTests {
    @Test(arguments: [
        "N0",
        "hbo",
        "Lillestrøm",
        "Epic games",
        "x",
        "a'; DROP TABLE nodes; --",
        "100% \"quoted\"",
        "名前",
        "🚀",
        "👍🏽",
        "❤\u{FE0F}",
        String(repeating: "a", count: 128),
        String(repeating: "é", count: 128),
    ])
    func validNamePasses(name: String) {
        #expect(Name.problem(with: name) == nil)
    }

    @Test(arguments: [
        ("", "is empty"),
        (String(repeating: "a", count: 129), "is 129 characters long; the maximum is 128"),
        ("a\u{0}b", "contains the control character U+0000 at position 2; names must be printable"),
        ("a\tb", "contains the control character U+0009 at position 2; names must be printable"),
        ("line\nbreak", "contains the control character U+000A at position 5; names must be printable"),
        ("del\u{7F}", "contains the control character U+007F at position 4; names must be printable"),
        ("c1\u{85}", "contains the control character U+0085 at position 3; names must be printable"),
        ("a\u{2028}b", "contains the control character U+2028 at position 2; names must be printable"),
        ("a\u{2029}b", "contains the control character U+2029 at position 2; names must be printable"),
        ("evil\u{202E}txt", "contains the bidirectional control character U+202E at position 5; names must be printable"),
        ("\u{2066}isolate", "contains the bidirectional control character U+2066 at position 1; names must be printable"),
        ("mark\u{200E}", "contains the bidirectional control character U+200E at position 5; names must be printable"),
        ("hb\u{200D}o", "contains the format character U+200D at position 3; names must be printable"),
        ("hb\u{200C}o", "contains the format character U+200C at position 3; names must be printable"),
        ("\u{200B}hbo", "contains the format character U+200B at position 1; names must be printable"),
        ("hbo\u{2060}", "contains the format character U+2060 at position 4; names must be printable"),
        ("\u{FEFF}hbo", "contains the format character U+FEFF at position 1; names must be printable"),
        ("h\u{AD}bo", "contains the format character U+00AD at position 2; names must be printable"),
        ("hbo\u{E0041}", "contains the format character U+E0041 at position 4; names must be printable"),
        ("\u{FFFD}", "contains U+FFFD, the replacement character for bytes that are not valid UTF-8, at position 1; write the name in UTF-8"),
        ("caf\u{FFFD}", "contains U+FFFD, the replacement character for bytes that are not valid UTF-8, at position 4; write the name in UTF-8"),
        ("e\u{301}\u{200D}", "contains the format character U+200D at position 3; names must be printable"),
        ("\u{1F469}\u{200D}\u{1F4BB}", "contains the format character U+200D at position 2; names must be printable"),
        ("a\u{200D}\tb", "contains the format character U+200D at position 2; names must be printable"),
        (" hbo", "starts with whitespace"),
        ("hbo ", "ends with whitespace"),
        ("\u{A0}hbo", "starts with whitespace"),
        ("hbo\u{3000}", "ends with whitespace"),
    ])
    func invalidNameIsExplained(name: String, problem: String) {
        #expect(Name.problem(with: name) == problem)
    }

    @Test func lengthCountsUnicodeScalars() {
        // "é" as e plus a combining accent is one character but two scalars, as SQLite's length() counts.
        let decomposed = String(repeating: "e\u{301}", count: 64)
        #expect(decomposed.count == 64)
        #expect(Name.problem(with: decomposed) == nil)
        #expect(Name.problem(with: decomposed + "x") == "is 129 characters long; the maximum is 128")
    }

    @Test func customMaximumApplies() {
        let customer = String(repeating: "c", count: 256)
        #expect(Name.problem(with: customer, maxLength: 256) == nil)
        #expect(Name.problem(with: customer + "c", maxLength: 256) == "is 257 characters long; the maximum is 256")
    }

    @Test(arguments: [
        ("hbo", "HBO", true),
        ("Lillestrøm", "LILLESTRØM", true),
        ("Caf\u{E9}", "cafe\u{301}", true),
        ("hbo", "hbo2", false),
        ("N1", "N10", false),
    ])
    func collisionKeyIgnoresCaseAndNormalization(first: String, second: String, collides: Bool) {
        #expect((Name.collisionKey(first) == Name.collisionKey(second)) == collides)
    }
}
