import Foundation
import Testing
import TestSupport

/// The JSON of every command that prints data, against the files in
/// `Tests/CLITests/Expected`. Run with `PRAAS_UPDATE_EXPECTED=1` to rewrite the
/// files after an intended change, then review the diff; docs/JSON.md describes
/// the same shapes.
@Suite struct JSONOutputTests {
    /// One command run on a fresh demo database, after `setup` commands.
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let setup: [[String]]
        let arguments: [String]

        init(_ name: String, setup: [[String]] = [], _ arguments: [String]) {
            self.name = name
            self.setup = setup
            self.arguments = arguments
        }

        var description: String { name }
    }

    static let planHBO = ["balloon", "hbo", "--depth", "1"]

    static let cases: [Case] = [
        Case("status", ["status", "--json"]),
        Case("nodes", ["nodes", "--depth", "1", "--json"]),
        Case("containers", ["containers", "--json"]),
        Case("topologies", ["topologies", "--json"]),
        Case("changes", ["changes", "--limit", "2", "--json"]),
        Case("change", ["change", "4", "--json"]),
        Case("history", ["history", "--container", "Lillestrom", "--json"]),
        Case("diff", ["diff", "5", "7", "--json"]),
        Case("check", ["check", "--json"]),
        Case("proximity", ["proximity", "Fortnite", "--budget", "20", "--json"]),
        Case("latency", ["latency", "--json"]),
        Case("config", ["config", "--json"]),
        Case("tree", ["tree", "--root", "N13", "--container", "Lillestrom", "--json"]),
        Case("price", ["price", "--customer", "HBO", "--json"]),
        Case("prices", ["prices", "--json"]),
        Case("bill", ["bill", "--from", "2020-01-01", "--to", "2020-02-01", "--json"]),
        Case("sql", ["sql", "SELECT name, depth, memory_mb FROM nodes WHERE depth <= 1 ORDER BY id", "--json"]),
        Case("register", ["register", "netflix", "--memory", "128", "--cpu", "0.1", "--customer", "Netflix", "--format", "json"]),
        Case("balloon", planHBO + ["--json"]),
        Case("approve", setup: [planHBO], ["approve", "7", "--json"]),
        Case("deploy", setup: [planHBO, ["approve", "7"]], ["deploy", "7", "--json"]),
        Case("reject", setup: [planHBO], ["reject", "7", "--reason", "wrong depth", "--json"]),
    ]

    static let expectedFolder = Fixtures.packageRoot.appendingPathComponent("Tests/CLITests/Expected")

    /// Replaces what differs between runs: UTC timestamps and the temporary directory.
    static func normalized(_ text: String, directory: String) -> String {
        var text = text.replacingOccurrences(of: directory, with: "<dir>")
        text = text.replacingOccurrences(
            of: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z"#, with: "<time>", options: .regularExpression)
        return text
    }

    /// Returns the names of every object in `value`, at any depth.
    static func keys(in value: Any) -> [String] {
        if let object = value as? [String: Any] {
            return object.keys.sorted() + object.values.flatMap { keys(in: $0) }
        }
        if let array = value as? [Any] {
            return array.flatMap { keys(in: $0) }
        }
        return []
    }

    @Test(arguments: cases)
    func jsonMatchesExpectedFile(_ testCase: Case) throws {
        let demo = try DemoDatabase()
        for step in testCase.setup {
            let result = try demo.run(step)
            #expect(result.exitCode == 0, "setup \(step): \(result.standardError)")
        }
        let result = try demo.run(testCase.arguments)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardError == "")

        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect(object?["version"] as? Int == 1, "every JSON document starts with \"version\": 1")
        #expect(result.standardOutput.hasPrefix("{\n    \"version\": 1,"))

        for key in Self.keys(in: object ?? [:]) {
            #expect(key.wholeMatch(of: /[a-z][a-z0-9_]*|[0-9]+/) != nil, "\(testCase.name): the name \(key) is not snake_case")
        }

        let actual = Self.normalized(result.standardOutput, directory: demo.directory.path)
        let file = Self.expectedFolder.appendingPathComponent("\(testCase.name).json")
        if ProcessInfo.processInfo.environment["PRAAS_UPDATE_EXPECTED"] == "1" {
            try FileManager.default.createDirectory(at: Self.expectedFolder, withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "\(testCase.name): output differs from Tests/CLITests/Expected/\(testCase.name).json")
    }

    /// Every command that takes --json or --format json is in `cases`, so a new
    /// data command cannot go without an expected file.
    @Test func everyJSONCommandHasCase() throws {
        let directory = TemporaryDirectory()
        let help = try CLI.run(["help"], in: directory.path).standardOutput
        let covered = Set(Self.cases.map { $0.arguments[0] })
        // Plan commands share one output with balloon and register.
        let sharingPlanOutput: Set = ["unregister", "fog", "retract", "place", "remove", "move"]
        for command in HelpTests.commandNames(inHelp: help) {
            let commandHelp = try CLI.run([command, "--help"], in: directory.path).standardOutput
            guard commandHelp.contains("\n  --json ") else { continue }
            #expect(covered.contains(command) || sharingPlanOutput.contains(command), "\(command) prints JSON but has no expected file")
        }
    }

    @Test func csvFormatGivesCSV() throws {
        let demo = try DemoDatabase()
        let plan = try demo.run(Self.planHBO + ["--format", "csv"])
        #expect(plan.exitCode == 0)
        let lines = plan.standardOutput.components(separatedBy: "\r\n")
        #expect(lines.first?.hasPrefix("change,node,depth,action,model,") == true)
        #expect(lines.dropFirst().first?.hasPrefix("7,") == true)

        let config = try demo.run(["config", "--format", "csv"])
        #expect(config.standardOutput == "setting,value\r\nrequire-distinct-approver,false\r\nplan-proximity-node-limit,100000\r\n")
    }
}
