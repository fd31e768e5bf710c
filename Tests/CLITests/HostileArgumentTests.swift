import Foundation
import Testing
import TestSupport

/// Names and options an attacker or a careless script could pass on the
/// command line. Quotes, semicolons, `%`, backslashes, leading dashes and any
/// printable Unicode are valid names and come back exactly through export and
/// import. Control characters, format characters (bidirectional controls, zero-width
/// characters), U+FFFD, unknown options and missing values are usage errors
/// (exit 64) whose message shows each offending character escaped, never raw.
@Suite struct HostileArgumentTests {
    /// Valid names that look like SQL, format strings, shell syntax, options or
    /// right-to-left text.
    static let validNames = [
        "it's", "say \"hi\"", "a;DROP TABLE nodes;--", "100%", "%s%n%x", "x\\y", "-leading", "--yes",
        "Café Ünïcode", "cafe\u{301} decomposed", "שלום עולם", "مرحبا", "日本語", "emoji 🚀", "'); DELETE FROM containers; --",
    ]

    /// True when `text` contains no control or format character but line breaks.
    static func isPrintable(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            scalar == "\n" || ![.control, .format, .lineSeparator, .paragraphSeparator].contains(scalar.properties.generalCategory)
        }
    }

    @Test func hostileNamesRoundTrip() throws {
        let directory = TemporaryDirectory()
        #expect(try CLI.run(["init", "--topology", "oslo-80"], in: directory.path).exitCode == 0)
        for (index, name) in Self.validNames.enumerated() {
            // The name after "--" and the customer after "=", so that a value starting with a dash is not an option.
            let customer = Self.validNames[(index + 1) % Self.validNames.count]
            let result = try CLI.run(
                ["register", "--memory", "64", "--cpu", "0.1", "--customer=\(customer)", "--yes", "--", name], in: directory.path)
            #expect(result.exitCode == 0, "\(name): \(result.standardError)")
        }
        let place = try CLI.run(["place", "--node", "N7", "--yes", "--", "-leading"], in: directory.path)
        #expect(place.exitCode == 0, "\(place.standardError)")

        #expect(try CLI.run(["export", "--output", "state.json"], in: directory.path).exitCode == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: directory.file("state.json")))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let containers = try #require(object["containerlist"] as? [[String: Any]])
        let names = containers.compactMap { $0["name"] as? String }
        #expect(names.map { Array($0.unicodeScalars) } == Self.validNames.map { Array($0.unicodeScalars) })
        let customers = containers.compactMap { $0["customer"] as? String }
        #expect(customers.map { Array($0.unicodeScalars) } == (Self.validNames.dropFirst() + Self.validNames.prefix(1)).map { Array($0.unicodeScalars) })

        // The exported file imports into a new database, which exports the same bytes.
        let imported = try CLI.run(["--db", "copy.db", "import", "state.json"], in: directory.path)
        #expect(imported.exitCode == 0, "\(imported.standardError)")
        let again = try CLI.run(["--db", "copy.db", "export"], in: directory.path)
        #expect(again.standardOutput == String(decoding: data, as: UTF8.self))
        #expect(try CLI.run(["--db", "copy.db", "check"], in: directory.path).exitCode == 0)

        // Bound as a parameter, each name finds exactly its own row.
        for name in Self.validNames {
            let query = try CLI.run(
                ["--db", "copy.db", "sql", "SELECT count(*) AS n FROM containers WHERE name = :name", "--param", "name", name, "--format", "csv"],
                in: directory.path)
            #expect(query.standardOutput == "n\r\n1\r\n", "\(name)")
        }
    }

    @Test(arguments: [
        ("tab\there", "the container name \"tab\\there\" contains the control character U+0009 at position 4; names must be printable"),
        ("new\nline", "the container name \"new\\nline\" contains the control character U+000A at position 4; names must be printable"),
        ("evil\u{202E}txt.exe", "the container name \"evil\\u202etxt.exe\" contains the bidirectional control character U+202E at position 5; names must be printable"),
        ("\u{2066}isolated", "the container name \"\\u2066isolated\" contains the bidirectional control character U+2066 at position 1; names must be printable"),
        ("mark\u{200F}", "the container name \"mark\\u200f\" contains the bidirectional control character U+200F at position 5; names must be printable"),
        ("\u{1B}[2Jclear", "the container name \"\\u001b[2Jclear\" contains the control character U+001B at position 1; names must be printable"),
        ("csi\u{9B}2J", "the container name \"csi\\u009b2J\" contains the control character U+009B at position 4; names must be printable"),
        ("hb\u{200D}o", "the container name \"hb\\u200do\" contains the format character U+200D at position 3; names must be printable"),
        ("zero\u{200B}width", "the container name \"zero\\u200bwidth\" contains the format character U+200B at position 5; names must be printable"),
        ("\u{FEFF}bom", "the container name \"\\ufeffbom\" contains the format character U+FEFF at position 1; names must be printable"),
        ("soft\u{AD}hyphen", "the container name \"soft\\u00adhyphen\" contains the format character U+00AD at position 5; names must be printable"),
        ("\u{FFFD}", "the container name \"\u{FFFD}\" contains U+FFFD, the replacement character for bytes that are not valid UTF-8, at position 1; write the name in UTF-8"),
        ("", "the container name \"\" is empty"),
        (" leading", "the container name \" leading\" starts with whitespace"),
        ("trailing ", "the container name \"trailing \" ends with whitespace"),
        (String(repeating: "n", count: 129),
         "the container name \"\(String(repeating: "n", count: 129))\" is 129 characters long; the maximum is 128"),
    ])
    func invalidNameIsUsageError(name: String, message: String) throws {
        let directory = TemporaryDirectory()
        #expect(try CLI.run(["init", "--topology", "oslo-80"], in: directory.path).exitCode == 0)
        let result = try CLI.run(
            ["register", "--memory", "64", "--cpu", "0.1", "--customer", "C", "--yes", "--", name], in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardError.hasPrefix("Error: \(message)\nUsage: praas-db register "))
        #expect(Self.isPrintable(result.standardError))
        #expect(result.standardOutput == "")
        let changes = try CLI.run(["changes", "--format", "csv"], in: directory.path)
        #expect(changes.standardOutput.split(separator: "\n").count == 1, "only the header: no change was recorded")
    }

    /// Bytes that are not valid UTF-8 reach the program as U+FFFD, which a name
    /// rejects. The shell's printf writes the raw bytes, which a Swift string cannot hold.
    @Test func invalidUTF8ArgumentIsRejected() throws {
        let directory = TemporaryDirectory()
        #expect(try CLI.run(["init", "--topology", "oslo-80"], in: directory.path).exitCode == 0)
        let script = """
            "$1" register "$(printf 'hb\\377o')" --memory 1 --cpu 0.1 --customer X --yes
            echo "exit $?" >&2
            "$1" register hbo --memory 1 --cpu 0.1 --customer "$(printf 'X\\376')" --yes
            echo "exit $?" >&2
            """
        let result = try ProcessRunner.run(
            "/bin/sh", ["-c", script, "sh", CLI.binary], in: directory.path, input: nil,
            environment: ["PATH": "/usr/bin:/bin", "USER": "tester"])
        let lines = result.standardError.split(separator: "\n").map(String.init)
        #expect(
            lines.first == "Error: the container name \"hb\u{FFFD}o\" contains U+FFFD, the replacement character for bytes "
                + "that are not valid UTF-8, at position 3; write the name in UTF-8")
        #expect(
            lines.contains(
                "Error: the customer \"X\u{FFFD}\" contains U+FFFD, the replacement character for bytes that are not "
                    + "valid UTF-8, at position 2; write the name in UTF-8"))
        #expect(lines.last == "exit 64")
        #expect(lines.filter { $0 == "exit 64" }.count == 2)
        let containers = try CLI.run(["containers", "--format", "csv"], in: directory.path)
        #expect(containers.standardOutput.split(separator: "\n").count == 1, "only the header: nothing was registered")
    }

    @Test(arguments: [
        (["register", "x", "--memory", "64", "--cpu", "0.1", "--customer", "C", "--frobnicate"], "Error: Unknown option '--frobnicate'."),
        (["register", "x", "--memory"], "Error: Missing value for '--memory <mb>'."),
        (["register", "-leading", "--memory", "64"], "Error: Unknown option '-leading'."),
        (["register", "x", "--memory", "abc", "--cpu", "0.1", "--customer", "C"],
         "Error: Invalid value 'abc' for '--memory <mb>': expected a whole number of megabytes in digits only, such as 256."),
        (["register", "x", "--memory", "64", "--cpu", "0.0001", "--customer", "C"],
         "Error: Invalid value '0.0001' for '--cpu <cores>': finer than one millicore (0.001 cores); round it to at most three decimals, such as 0.125."),
        (["register", "x", "--memory", "64", "--cpu", "NaN", "--customer", "C"],
         "Error: Invalid value 'NaN' for '--cpu <cores>': expected a number of cores in digits, with a digit on each side of any point, such as 2 or 0.25."),
        (["register", "x", "--memory", "64", "--cpu", "-Infinity", "--customer", "C"],
         "Error: Invalid value '-Infinity' for '--cpu <cores>': expected a number of cores in digits, with a digit on each side of any point, such as 2 or 0.25."),
        (["register", "x", "--memory", "1e999", "--cpu", "1", "--customer", "C"],
         "Error: Invalid value '1e999' for '--memory <mb>': expected a whole number of megabytes in digits only, such as 256."),
        (["register", "x", "--memory", "1000000001", "--cpu", "1", "--customer", "C"],
         "Error: Invalid value '1000000001' for '--memory <mb>': the maximum is 1000000000 MB."),
        (["register", "x", "--memory", "\u{1B}[2J", "--cpu", "1", "--customer", "C"],
         "Error: Invalid value '\\u001b[2J' for '--memory <mb>': expected a whole number of megabytes in digits only, such as 256."),
        (["register", "x", "--memory", "1e3", "--cpu", "1", "--customer", "C"],
         "Error: Invalid value '1e3' for '--memory <mb>': expected a whole number of megabytes in digits only, such as 256."),
        (["register", "x", "--memory", "256.0", "--cpu", "1", "--customer", "C"],
         "Error: Invalid value '256.0' for '--memory <mb>': expected a whole number of megabytes in digits only, such as 256."),
        (["register", "x", "--memory", "-5", "--cpu", "1", "--customer", "C"],
         "Error: Invalid value '-5' for '--memory <mb>': memory cannot be negative; give a whole number of megabytes, such as 256."),
        (["register", "x", "--memory", "64", "--cpu", ".5", "--customer", "C"],
         "Error: Invalid value '.5' for '--cpu <cores>': expected a number of cores in digits, with a digit on each side of any point, such as 2 or 0.25."),
        (["register", "x", "--memory", "64", "--cpu", "5.", "--customer", "C"],
         "Error: Invalid value '5.' for '--cpu <cores>': expected a number of cores in digits, with a digit on each side of any point, such as 2 or 0.25."),
        (["register", "x", "--memory", "64", "--cpu", "5e-1", "--customer", "C"],
         "Error: Invalid value '5e-1' for '--cpu <cores>': expected a number of cores in digits, with a digit on each side of any point, such as 2 or 0.25."),
        (["register", "x", "--memory", "64", "--cpu", "-0.5", "--customer", "C"],
         "Error: Invalid value '-0.5' for '--cpu <cores>': CPU cannot be negative; give a number of cores, such as 0.25."),
        (["proximity", "hbo", "--budget", "1e1"],
         "Error: Invalid value '1e1' for '--budget <ms>': expected a number of milliseconds in digits with at most 3 decimals, such as 20 or 4.5."),
        (["--busy-timeout", "1e3", "status"],
         "Error: Invalid value '1e3' for '--busy-timeout <seconds>': expected a number of seconds from 0 to 86400."),
        (["--busy-timeout", "0.0005", "status"],
         "Error: Invalid value '0.0005' for '--busy-timeout <seconds>': finer than a millisecond; use at most three decimals, such as 0.5."),
        (["frob\u{1B}]0;title\u{7}"], "Error: Unknown command 'frob\\u001b]0;title\\u0007'. Run 'praas-db help' to list the commands."),
        (["register", "--x\u{202E}y"], "Error: Unknown option '--x\\u202ey'. Did you mean '--by'?"),
        (["--busy-timeout", "nan", "status"],
         "Error: Invalid value 'nan' for '--busy-timeout <seconds>': expected a number of seconds from 0 to 86400."),
        (["--db"], "Error: Missing value for '--db <path>'."),
        (["approve", "abc"], "Error: Invalid value 'abc' for '<id>': expected a whole number."),
        (["deploy", "99999999999999999999"], "Error: Invalid value '99999999999999999999' for '<id>': expected a whole number."),
        (["balloon", "x", "--depth", "-1"], "Error: Invalid value '-1' for '--depth <d>': expected a whole number of at least 0."),
    ])
    func badOptionIsUsageError(arguments: [String], firstLine: String) throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(arguments, in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardError.split(separator: "\n").first.map(String.init) == firstLine)
        #expect(Self.isPrintable(result.standardError))
        #expect(!FileManager.default.fileExists(atPath: directory.file("praas.db")))
    }

    /// Names that differ only in Unicode normalization are one name: the second
    /// is rejected, and a lookup in the other form names the registered form.
    @Test func normalizationFormsCollide() throws {
        let directory = TemporaryDirectory()
        #expect(try CLI.run(["init", "--topology", "oslo-80"], in: directory.path).exitCode == 0)
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        let register = ["register", "--memory", "64", "--cpu", "0.1", "--customer", "C", "--yes", "--"]
        #expect(try CLI.run(register + [composed], in: directory.path).exitCode == 0)

        let second = try CLI.run(register + [decomposed], in: directory.path)
        #expect(second.exitCode == 4)
        #expect(
            second.standardError == "Error: change 2 was rejected: container \"\(composed)\" is already registered "
                + "(names that differ only in letter case or Unicode normalization are the same)\n")

        let lookup = try CLI.run(["balloon", decomposed, "--depth", "1"], in: directory.path)
        #expect(lookup.exitCode == 3)
        #expect(
            lookup.standardError == "Error: container \"\(decomposed)\" not found; a container is registered as "
                + "\"caf\\u{E9}\", which has the same letters as the \"cafe\\u{301}\" given in another Unicode "
                + "normalization form; give the name as it was registered\n")
    }
}
