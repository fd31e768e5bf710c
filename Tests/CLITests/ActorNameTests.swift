import Foundation
import Testing
import TestSupport

/// Who runs a command, through the real binary.
@Suite struct ActorNameTests {
    /// Creates the Oslo database in `directory` with change 2, planned by alice.
    static func plannedChange(in directory: TemporaryDirectory) throws {
        let alice = ["PRAAS_DB_USER": "alice"]
        #expect(try CLI.run(["init", "--topology", "oslo-80"], in: directory.path, environment: alice).exitCode == 0)
        let register = ["register", "hbo", "--memory", "256", "--cpu", "0.2", "--customer", "HBO"]
        #expect(try CLI.run(register + ["--yes"], in: directory.path, environment: alice).exitCode == 0)
        #expect(try CLI.run(["place", "hbo", "--node", "N5"], in: directory.path, environment: alice).exitCode == 0)
    }

    /// Returns the status, summary and author of change `id`, as `changes --format csv` lists them.
    static func changeSummary(_ id: Int, in directory: TemporaryDirectory) throws -> String {
        let changes = try CLI.run(["changes", "--format", "csv"], in: directory.path)
        let row = changes.standardOutput.split(separator: "\r\n").first { $0.hasPrefix("\(id),") }
        return row.map { $0.split(separator: ",").dropFirst().prefix(3).joined(separator: ",") } ?? "missing"
    }

    @Test func distinctApproverIgnoresCase() throws {
        let directory = TemporaryDirectory()
        try Self.plannedChange(in: directory)
        #expect(try CLI.run(["config", "require-distinct-approver", "true"], in: directory.path).exitCode == 0)

        for approver in ["ALICE", "Alice", "alice"] {
            let result = try CLI.run(["approve", "2", "--by", approver], in: directory.path)
            #expect(result.exitCode == 4)
            let sameName =
                approver == "alice"
                ? "" : ", the same person as \(approver) (names that differ only in letter case or Unicode normalization are the same)"
            #expect(
                result.standardError
                    == "Error: change 2 was planned by alice\(sameName), and this database requires another person to approve "
                    + "it; approve it with --by NAME as someone else\n")
            #expect(try Self.changeSummary(2, in: directory) == "planned,place hbo on N5,alice")
        }

        let bob = try CLI.run(["approve", "2", "--by", "bob"], in: directory.path)
        #expect(bob.exitCode == 0)
        #expect(try Self.changeSummary(2, in: directory) == "approved,place hbo on N5,alice")
    }
}
