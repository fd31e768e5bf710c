import Foundation
import Testing
import TestSupport

/// The prototype's three use cases, run by a Python model of `PraaS.py` on a
/// file that `praas-db export` wrote, with every intermediate file imported
/// back into a new praas-db database.
@Suite struct PrototypeCompatibilityTests {
    static func register(_ name: String, customer: String) -> [String] {
        ["-R", "--json", "{\"name\":\"\(name)\",\"resource_mem\":\"256\",\"resource_cpu\":\"0.2\",\"customer\":\"\(customer)\"}"]
    }

    /// Imports the state file `name` into a new database and returns the import's report.
    static func importIntoNewDatabase(_ name: String, in directory: TemporaryDirectory) throws -> CommandResult {
        try CLI.run(["--db", name + ".db", "import", name], in: directory.path)
    }

    /// Returns the whole-number fields of `praas-db status --json` for the database `name`.
    static func status(of name: String, in directory: TemporaryDirectory) throws -> [String: Int] {
        let result = try CLI.run(["--db", name, "status", "--json"], in: directory.path)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] ?? [:]
        return object.compactMapValues { $0 as? Int }
    }

    static func names(_ indices: some Sequence<Int>) -> Set<String> {
        Set(indices.map { "N\($0)" })
    }

    @Test func pythonIsAvailable() throws {
        #expect(PrototypeModel.python != nil, "python3 is not on PATH; the prototype model in Tests/Prototype needs Python 3")
    }

    @Test func useCasesRunOnExport() throws {
        let directory = TemporaryDirectory()
        #expect(try CLI.run(["init", "--topology", "oslo-80"], in: directory.path).exitCode == 0)
        #expect(try CLI.run(["export", "--output", "s0.json"], in: directory.path).exitCode == 0)

        // HBO: register, then balloon to depth 4.
        var text = try PrototypeModel.step(Self.register("hbo", customer: "HBO"), from: "s0.json", to: "s1.json", in: directory)
        #expect(try PrototypeModel.nodes(holding: "hbo", in: text) == ["N0"])
        text = try PrototypeModel.step(["-B", "hbo", "-d", "4"], from: "s1.json", to: "s2.json", in: directory)
        #expect(try PrototypeModel.nodes(holding: "hbo", in: text).count == 64)

        // Lillestrøm: register, then fog to each node of the area in turn.
        var file = "s3.json"
        try PrototypeModel.step(Self.register("Lillestrom", customer: "Lillestrom"), from: "s2.json", to: file, in: directory)
        for (step, target) in ["N13", "N28", "N29", "N30", "N31", "N46", "N47", "N48", "N49", "N50"].enumerated() {
            let next = "s3-\(step).json"
            text = try PrototypeModel.step(["-F", "Lillestrom", "-n", target], from: file, to: next, in: directory)
            file = next
        }
        #expect(
            try PrototypeModel.nodes(holding: "Lillestrom", in: text)
                == Self.names([0, 2, 13] + Array(28...31) + Array(46...50)))

        // Fortnite: register, then fog to eight nodes.
        try PrototypeModel.step(Self.register("Fortnite", customer: "Epic games"), from: file, to: "s4.json", in: directory)
        file = "s4.json"
        for (step, target) in ["N76", "N19", "N20", "N10", "N12", "N31", "N66", "N16"].enumerated() {
            let next = "s4-\(step).json"
            text = try PrototypeModel.step(["-F", "Fortnite", "-n", target], from: file, to: next, in: directory)
            file = next
        }
        let fortnite = try PrototypeModel.nodes(holding: "Fortnite", in: text)
        #expect(fortnite.count == 22)
        #expect(fortnite.contains("N0"))

        // Micromanagement: hbo on one depth-5 node.
        text = try PrototypeModel.step(["-C", "hbo", "-n", "N70"], from: file, to: "s5.json", in: directory)
        #expect(try PrototypeModel.nodes(holding: "hbo", in: text).count == 65)
        // Three containers of 0.2 cores on N0 leave the prototype's float noise in the file.
        #expect(text.contains("\"capacity_cpu_used\": 0.6000000000000001,"))

        // Every file along the way imports into praas-db.
        let expected = [
            ("s0.json", 0, 0), ("s1.json", 1, 1), ("s2.json", 1, 64), ("s3-9.json", 2, 76), ("s4-7.json", 3, 98),
            ("s5.json", 3, 99),
        ]
        for (name, containers, placements) in expected {
            let result = try Self.importIntoNewDatabase(name, in: directory)
            #expect(result.exitCode == 0, "\(name): \(result.standardError)")
            let status = try Self.status(of: name + ".db", in: directory)
            #expect(status["nodes"] == 80, "\(name)")
            #expect(status["containers"] == containers, "\(name)")
            #expect(status["placements"] == placements, "\(name)")
        }
    }

    @Test func prototypeOperatesOnExport() throws {
        let directory = TemporaryDirectory()
        #expect(try CLI.run(["init", "--topology", "oslo-80"], in: directory.path).exitCode == 0)
        #expect(try CLI.run(["export", "--output", "s0.json"], in: directory.path).exitCode == 0)
        try PrototypeModel.step(Self.register("hbo", customer: "HBO"), from: "s0.json", to: "s1.json", in: directory)
        try PrototypeModel.step(Self.register("game", customer: "Epic games"), from: "s1.json", to: "s2.json", in: directory)
        try PrototypeModel.step(Self.register("cache", customer: "Lillestrom"), from: "s2.json", to: "s3.json", in: directory)
        #expect(try Self.importIntoNewDatabase("s3.json", in: directory).exitCode == 0)

        // praas-db writes N0's used CPU as 0.6; the prototype reads it and deploys on.
        #expect(try CLI.run(["--db", "s3.json.db", "export", "--output", "e3.json"], in: directory.path).exitCode == 0)
        let exported = try String(contentsOfFile: directory.file("e3.json"), encoding: .utf8)
        #expect(exported.contains("\"capacity_cpu_used\": 0.6,"))
        let printed = try PrototypeModel.run(["-f", "e3.json", "-p"], in: directory)
        #expect(printed.exitCode == 0)
        let text = try PrototypeModel.step(["-B", "game", "-d", "2"], from: "e3.json", to: "e4.json", in: directory)
        #expect(try PrototypeModel.nodes(holding: "game", in: text).count == 24)
        let reimport = try Self.importIntoNewDatabase("e4.json", in: directory)
        #expect(reimport.standardOutput == "Imported 'e4.json' into 'e4.json.db': 80 nodes, 3 containers, 26 placements; revision 1.\n")
        #expect(try Self.status(of: "e4.json.db", in: directory)["placements"] == 26)
    }

    @Test func modelKeepsPrototypeDefects() throws {
        let directory = TemporaryDirectory()
        let topology = try CLI.run(["topology", "oslo-80"], in: directory.path).standardOutput
        directory.write("s0.json", topology)

        // A string with a fraction in a _used field breaks int(), which is why praas-db writes numbers there.
        directory.write("string-used.json", topology.replacingOccurrences(of: "\"capacity_cpu_used\": 0,", with: "\"capacity_cpu_used\": \"0.6\","))
        let broken = try PrototypeModel.run(["-f", "string-used.json"] + Self.register("hbo", customer: "HBO"), in: directory)
        #expect(broken.exitCode == 1)
        #expect(broken.standardError.hasSuffix("ValueError: invalid literal for int() with base 10: '0.6'\n"))

        // An unknown container or node ends in a traceback.
        let unknownContainer = try PrototypeModel.run(["-f", "s0.json", "-C", "nobody", "-n", "N1"], in: directory)
        #expect(unknownContainer.exitCode == 1)
        #expect(unknownContainer.standardError.hasSuffix("TypeError: 'NoneType' object is not subscriptable\n"))
        try PrototypeModel.step(Self.register("hbo", customer: "HBO"), from: "s0.json", to: "s1.json", in: directory)
        let unknownNode = try PrototypeModel.run(["-f", "s1.json", "-C", "hbo", "-n", "N99"], in: directory)
        #expect(unknownNode.exitCode == 1)
        #expect(unknownNode.standardError.hasSuffix("IndexError: list index out of range\n"))

        // -C deploys twice on the same node and counts the resources twice.
        let twice = try PrototypeModel.step(["-C", "hbo", "-n", "N0"], from: "s1.json", to: "s2.json", in: directory)
        #expect(twice.contains("\"capacity_mem_used\": 512,"))
        let importTwice = try Self.importIntoNewDatabase("s2.json", in: directory)
        #expect(importTwice.exitCode == 65)
        #expect(
            importTwice.standardError == """
                Error: 's2.json' is not a valid state file (1 problem); nothing was imported:
                  nodelist[0] (N0): containers lists "hbo" twice

                """)

        // A container that needs exactly the free memory is skipped without a word.
        let exact = ["-R", "--json", "{\"name\":\"fill\",\"resource_mem\":\"7936\",\"resource_cpu\":\"1\",\"customer\":\"F\"}"]
        let skipped = try PrototypeModel.step(exact, from: "s1.json", to: "s3.json", in: directory)
        #expect(try PrototypeModel.nodes(holding: "fill", in: skipped).isEmpty)
    }
}
