import Foundation
import Testing
import TestSupport

/// Who runs a command, from `--by` or the environment, through the real binary:
/// an actor name follows the rules of container names, and an invalid one is
/// rejected before anything is recorded.
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

    static let emptyByMessage = "Error: Invalid value '' for '--by <name>': expected a name; leave out --by to use $PRAAS_DB_USER or $USER."

    @Test(arguments: [
        (["approve", "2", "--by", "bob\tx"],
         "Error: Invalid value 'bob\\u0009x' for '--by <name>': the name contains the control character U+0009 at position 4; "
            + "names must be printable."),
        (["approve", "2", "--by", "alice\u{200B}"],
         "Error: Invalid value 'alice\\u200b' for '--by <name>': the name contains the format character U+200B at position 6; "
            + "names must be printable."),
        (["approve", "2", "--by", "\u{202E}bob"],
         "Error: Invalid value '\\u202ebob' for '--by <name>': the name contains the bidirectional control character U+202E "
            + "at position 1; names must be printable."),
        (["approve", "2", "--by", " alice"], "Error: Invalid value ' alice' for '--by <name>': the name starts with whitespace."),
        (["approve", "2", "--by", "alice "], "Error: Invalid value 'alice ' for '--by <name>': the name ends with whitespace."),
        (["approve", "2", "--by", ""], emptyByMessage),
        (["approve", "2", "--by="], emptyByMessage),
        (["deploy", "2", "--by", ""], emptyByMessage),
        (["reject", "2", "--by", ""], emptyByMessage),
        (["place", "hbo", "--node", "N6", "--by", ""], emptyByMessage),
        (["set-price", "--base", "12", "--by", ""], emptyByMessage),
    ])
    func invalidByIsUsageError(arguments: [String], firstLine: String) throws {
        let directory = TemporaryDirectory()
        try Self.plannedChange(in: directory)
        let history = try CLI.run(["history", "--format", "csv"], in: directory.path).standardOutput

        let result = try CLI.run(arguments, in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardError.split(separator: "\n").first.map(String.init) == firstLine)
        #expect(result.standardError.contains("\nUsage: praas-db \(arguments[0]) "))
        #expect(result.standardOutput == "")
        #expect(try Self.changeSummary(2, in: directory) == "planned,place hbo on N5,alice")
        #expect(try CLI.run(["history", "--format", "csv"], in: directory.path).standardOutput == history)
    }

    @Test(arguments: [
        (["PRAAS_DB_USER": "\u{202E}bob"],
         "Error: the actor name \"\\u202ebob\" from $PRAAS_DB_USER contains the bidirectional control character U+202E at "
            + "position 1; names must be printable (set PRAAS_DB_USER to a valid name, or pass --by NAME)"),
        (["PRAAS_DB_USER": "alice\u{200D}"],
         "Error: the actor name \"alice\\u200d\" from $PRAAS_DB_USER contains the format character U+200D at position 6; "
            + "names must be printable (set PRAAS_DB_USER to a valid name, or pass --by NAME)"),
        (["PRAAS_DB_USER": " alice "],
         "Error: the actor name \" alice \" from $PRAAS_DB_USER starts with whitespace (set PRAAS_DB_USER to a valid name, "
            + "or pass --by NAME)"),
        (["USER": "bob\tx"],
         "Error: the actor name \"bob\\tx\" from $USER contains the control character U+0009 at position 4; names must be "
            + "printable (set PRAAS_DB_USER to a valid name, or pass --by NAME)"),
        (["PRAAS_DB_USER": "", "USER": "bob "],
         "Error: the actor name \"bob \" from $USER ends with whitespace (set PRAAS_DB_USER to a valid name, or pass --by NAME)"),
        (["USER": "", "LOGNAME": "\u{FEFF}root"],
         "Error: the actor name \"\\ufeffroot\" from $LOGNAME contains the format character U+FEFF at position 1; names must "
            + "be printable (set PRAAS_DB_USER to a valid name, or pass --by NAME)"),
    ])
    func invalidEnvironmentActorIsRejected(environment: [String: String], firstLine: String) throws {
        let directory = TemporaryDirectory()
        try Self.plannedChange(in: directory)

        let approve = try CLI.run(["approve", "2"], in: directory.path, environment: environment)
        #expect(approve.exitCode == 64)
        #expect(approve.standardError.split(separator: "\n").first.map(String.init) == firstLine)
        #expect(approve.standardOutput == "")
        #expect(try Self.changeSummary(2, in: directory) == "planned,place hbo on N5,alice")

        // --by takes the place of the environment.
        let byBob = try CLI.run(["approve", "2", "--by", "bob"], in: directory.path, environment: environment)
        #expect(byBob.exitCode == 0)
        #expect(byBob.standardOutput == "Approved change 2 (place hbo on N5) by bob.\nNext: deploy it with 'praas-db deploy 2'.\n")
    }

    /// A command without --by resolves the actor too, and the message does not suggest --by.
    @Test func commandWithoutByOmitsHint() throws {
        let directory = TemporaryDirectory()
        try Self.plannedChange(in: directory)
        let result = try CLI.run(["status"], in: directory.path, environment: ["PRAAS_DB_USER": " alice "])
        #expect(result.exitCode == 64)
        #expect(
            result.standardError.split(separator: "\n").first.map(String.init)
                == "Error: the actor name \" alice \" from $PRAAS_DB_USER starts with whitespace (set PRAAS_DB_USER to a valid name)")
        #expect(result.standardOutput == "")
    }

    /// An empty variable counts as unset, so the next one is used.
    @Test func emptyVariableFallsThrough() throws {
        let directory = TemporaryDirectory()
        try Self.plannedChange(in: directory)
        let result = try CLI.run(["place", "hbo", "--node", "N6"], in: directory.path, environment: ["PRAAS_DB_USER": ""])
        #expect(result.exitCode == 0)
        #expect(try Self.changeSummary(3, in: directory) == "planned,place hbo on N6,tester")
    }

    /// Without any of the variables, the login name of the process's user is recorded.
    @Test func loginNameIsLastFallback() throws {
        let directory = TemporaryDirectory()
        try Self.plannedChange(in: directory)
        let login = try ProcessRunner.run("/usr/bin/id", ["-un"]).standardOutput.trimmingCharacters(in: .newlines)
        #expect(!login.isEmpty)

        let result = try CLI.run(["place", "hbo", "--node", "N6"], in: directory.path, environment: ["USER": ""])
        #expect(result.exitCode == 0)
        #expect(try Self.changeSummary(3, in: directory) == "planned,place hbo on N6,\(login)")
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
