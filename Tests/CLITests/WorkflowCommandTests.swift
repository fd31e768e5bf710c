import Foundation
import Testing
import TestSupport

/// The workflow through the real binary: the demo, plans, approve and deploy,
/// their exit codes, and the history's defence against a raw sqlite3 session.
@Suite struct WorkflowCommandTests {
    /// Replaces ISO 8601 timestamps with a fixed marker, so outputs compare exactly.
    static func normalized(_ text: String) -> String {
        text.replacingOccurrences(of: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"#, with: "<time>", options: .regularExpression)
    }

    static func run(_ arguments: [String], in directory: TemporaryDirectory) throws -> CommandResult {
        try CLI.run(arguments, in: directory.path, environment: ["PRAAS_DB_USER": "alice"])
    }

    @Test func demoRunsUseCases() throws {
        let directory = TemporaryDirectory()
        let result = try Self.run(["demo"], in: directory)
        #expect(result.exitCode == 0)
        #expect(result.standardError == "")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "Database praas-demo.db: the oslo-80 topology, 80 nodes of depth 0 to 6, revision 1.")
        #expect(lines.contains("   hbo runs on 64 nodes: N0-N63"))
        #expect(lines.contains("   Lillestrom runs on 12 nodes: N0, N2, N13, N28-N31, N46-N50"))
        #expect(lines.contains(
            "   Fortnite runs on 22 nodes: N0-N2, N4-N7, N10, N12, N13, N16, N17, N19, N20, N31, N36, N37, N54, N56, N65, N66, N76"))
        #expect(lines.contains("Done: revision 7, 3 containers on 98 placements, 25088 / 135936 MB of memory used (18.5%)."))

        // The demo replaces its own database on the next run.
        #expect(try Self.run(["demo"], in: directory).exitCode == 0)
        #expect(try Self.run(["--db", "praas-demo.db", "check"], in: directory).exitCode == 0)
    }

    @Test func planPrintsNodesBeforeAndAfter() throws {
        let directory = TemporaryDirectory()
        #expect(try Self.run(["init", "--topology", "oslo-80"], in: directory).exitCode == 0)
        #expect(try Self.run(["register", "hbo", "--memory", "256", "--cpu", "0.2", "--customer", "HBO", "--yes"], in: directory).exitCode == 0)

        let result = try Self.run(["fog", "hbo", "--node", "N13"], in: directory)
        #expect(result.exitCode == 0)
        #expect(result.standardError == "")
        #expect(
            Self.normalized(result.standardOutput) == """
                Change 2: fog hbo to N13
                  status       planned
                  planned      at revision 2 by alice, <time>
                  placements   2 added, 0 removed

                  NODE  DEPTH  ACTION  MODEL  MEMORY MB         CPU CORES
                  N2        1  add     fog    0 -> 256 of 4096  0 -> 0.2 of 8
                  N13       2  add     fog    0 -> 256 of 2048  0 -> 0.2 of 4

                  proximity of hbo to 7254 households:
                    before  mean 4.424 hops; latency median 21, p95 29, max 29 ms
                    after   mean 4.026 hops; latency median 21, p95 29, max 29 ms

                Next: approve it with 'praas-db approve 2', then deploy it with 'praas-db deploy 2'.

                """)

        let approve = try Self.run(["approve", "2", "--by", "bob"], in: directory)
        #expect(approve.standardOutput == "Approved change 2 (fog hbo to N13) by bob.\nNext: deploy it with 'praas-db deploy 2'.\n")
        let deploy = try Self.run(["deploy", "2"], in: directory)
        #expect(deploy.exitCode == 0)
        #expect(deploy.standardOutput == "Deployed change 2 (fog hbo to N13): 2 placements added, 0 removed; revision 2 -> 3.\n")

        let again = try Self.run(["deploy", "2"], in: directory)
        #expect(again.exitCode == 5)
        #expect(again.standardError == "Error: change 2 is already deployed (revision 3); a change deploys only once\n")
    }

    @Test func planAsJSON() throws {
        let directory = TemporaryDirectory()
        #expect(try Self.run(["init", "--topology", "oslo-80"], in: directory).exitCode == 0)
        #expect(try Self.run(["register", "hbo", "--memory", "256", "--cpu", "0.2", "--customer", "HBO", "--yes"], in: directory).exitCode == 0)
        let result = try Self.run(["place", "hbo", "--node", "N79", "--format", "json"], in: directory)
        #expect(result.exitCode == 0)

        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        let change = try #require(object["change"] as? [String: Any])
        #expect(change["id"] as? Int == 2)
        #expect(change["status"] as? String == "planned")
        #expect(change["operation"] as? String == "place")
        #expect((change["arguments"] as? [String: String]) == ["node": "N79"])
        #expect((change["reasons"] as? [String]) == [])
        let placements = try #require(object["placements"] as? [[String: Any]])
        #expect(placements.map { $0["node"] as? String } == ["N79"])
        #expect(placements.map { $0["memory_used_after_mb"] as? Int } == [256])
    }

    @Test func rejectedPlanExitsWithFour() throws {
        let directory = TemporaryDirectory()
        #expect(try Self.run(["init", "--topology", "oslo-80"], in: directory).exitCode == 0)
        let result = try Self.run(["register", "big", "--memory", "9000", "--cpu", "1", "--customer", "ACME"], in: directory)
        #expect(result.exitCode == 4)
        #expect(result.standardError == "Error: change 1 was rejected: N0: needs 9000 MB, 8192 MB free\n")
        #expect(result.standardOutput.contains("\nRejected:\n  N0: needs 9000 MB, 8192 MB free\n"))

        let changes = try Self.run(["changes", "--json"], in: directory)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(changes.standardOutput.utf8)) as? [String: Any])
        let list = try #require(object["changes"] as? [[String: Any]])
        #expect(list.map { $0["status"] as? String } == ["rejected"])
    }

    @Test func rejectReasonIsPrintable() throws {
        let directory = TemporaryDirectory()
        #expect(try Self.run(["init", "--topology", "oslo-80"], in: directory).exitCode == 0)
        #expect(try Self.run(["place", "a", "--node", "N1"], in: directory).exitCode == 3)
        #expect(try Self.run(["register", "a", "--memory", "100", "--cpu", "0.1", "--customer", "X"], in: directory).exitCode == 0)

        let cases = [
            ("\u{1B}[2Jx", "Error: the reason \"\\u001b[2Jx\" contains the control character U+001B at position 1; names must be printable\n"),
            ("", "Error: the reason \"\" is empty\n"),
        ]
        for (reason, message) in cases {
            let result = try Self.run(["reject", "1", "--reason", reason], in: directory)
            #expect(result.exitCode == 64)
            #expect(result.standardError.hasPrefix(message), "\(result.standardError)")
        }
        let change = try Self.run(["change", "1", "--json"], in: directory)
        #expect(change.standardOutput.contains("\"status\": \"planned\""))

        let rejected = try Self.run(["reject", "1", "--reason", "wrong depth"], in: directory)
        #expect(rejected.exitCode == 0)
        #expect(rejected.standardOutput == "Rejected change 1 (register a (100 MB, 0.1 cores, customer X)).\n")
    }

    @Test func staleDeployExitsWithFive() throws {
        let directory = TemporaryDirectory()
        #expect(try Self.run(["init", "--topology", "oslo-80"], in: directory).exitCode == 0)
        #expect(try Self.run(["register", "hbo", "--memory", "256", "--cpu", "0.2", "--customer", "HBO", "--yes"], in: directory).exitCode == 0)
        #expect(try Self.run(["place", "hbo", "--node", "N5"], in: directory).exitCode == 0)
        #expect(try Self.run(["approve", "2"], in: directory).exitCode == 0)
        #expect(try Self.run(["place", "hbo", "--node", "N6", "--yes"], in: directory).exitCode == 0)

        let result = try Self.run(["deploy", "2"], in: directory)
        #expect(result.exitCode == 5)
        #expect(result.standardError == "Error: change 2 was planned at revision 2, but the state is now at revision 3; plan the change again\n")
    }

    @Test func unknownNamesExitWithThree() throws {
        let directory = TemporaryDirectory()
        #expect(try Self.run(["init", "--topology", "oslo-80"], in: directory).exitCode == 0)
        let container = try Self.run(["balloon", "hbo", "--depth", "2"], in: directory)
        #expect(container.exitCode == 3)
        #expect(container.standardError == "Error: container \"hbo\" not found; 'praas-db containers' lists the registered containers\n")
        let change = try Self.run(["approve", "9"], in: directory)
        #expect(change.exitCode == 3)
        #expect(change.standardError == "Error: change 9 not found; there are no changes yet ('praas-db changes' lists them)\n")
    }

    /// The state after the three use cases, exported, is read and operated on by
    /// the prototype, and what it writes imports back.
    @Test func prototypeOperatesOnUseCases() throws {
        let directory = TemporaryDirectory()
        #expect(try Self.run(["demo"], in: directory).exitCode == 0)
        #expect(try Self.run(["--db", "praas-demo.db", "export", "--output", "after.json"], in: directory).exitCode == 0)

        let register = ["-R", "--json", #"{"name":"news","resource_mem":"256","resource_cpu":"0.2","customer":"NRK"}"#]
        try PrototypeModel.step(register, from: "after.json", to: "p1.json", in: directory)
        let balloon = try PrototypeModel.step(["-B", "news", "-d", "2"], from: "p1.json", to: "p2.json", in: directory)
        #expect(try PrototypeModel.nodes(holding: "news", in: balloon).count == 24)
        // N79's path adds N8, N22, N44, N62, N70 and N79 to Fortnite's 22 nodes.
        let fog = try PrototypeModel.step(["-F", "Fortnite", "-n", "N79"], from: "p2.json", to: "p3.json", in: directory)
        #expect(try PrototypeModel.nodes(holding: "Fortnite", in: fog).count == 28)

        let imported = try Self.run(["--db", "back.db", "import", "p3.json"], in: directory)
        #expect(imported.exitCode == 0)
        #expect(imported.standardOutput == "Imported 'p3.json' into 'back.db': 80 nodes, 4 containers, 128 placements; revision 1.\n")
        #expect(try Self.run(["--db", "back.db", "check"], in: directory).exitCode == 0)
    }

    @Test func sqliteShellCannotRewriteHistory() throws {
        let directory = TemporaryDirectory()
        #expect(try Self.run(["demo"], in: directory).exitCode == 0)
        for statement in ["UPDATE history SET actor = 'mallory' WHERE id = 5;", "DELETE FROM history WHERE id = 5;"] {
            let result = try Self.sqlite3(statement, database: directory.file("praas-demo.db"))
            #expect(result.exitCode != 0, "\(statement)")
            #expect(result.standardError.contains("history is append-only"), "\(statement): \(result.standardError)")
        }
        #expect(try Self.run(["--db", "praas-demo.db", "check"], in: directory).exitCode == 0)
    }

    static func sqlite3(_ sql: String, database: String) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", database, sql]
        let capture = TemporaryDirectory()
        let outputPath = capture.write("stdout", "")
        let errorPath = capture.write("stderr", "")
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        process.waitUntilExit()
        return CommandResult(
            exitCode: process.terminationStatus,
            standardOutput: try String(contentsOfFile: outputPath, encoding: .utf8),
            standardError: try String(contentsOfFile: errorPath, encoding: .utf8))
    }
}
