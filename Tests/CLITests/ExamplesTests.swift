import Foundation
import Testing

@testable import praas_db
import TestSupport

/// Runs every example of every command's help, and the README's first session,
/// as a reader would type them: through bash, in a fresh folder holding a demo
/// database as ./praas.db.
@Suite struct ExamplesTests {
    /// Examples that are not run, and why.
    static let notRun: [String: String] = [
        "praas-db generate --nodes 1000000 --output national.json": "writes about 600 MB",
        "praas-db export | python PraaS.py -f /dev/stdin -p": "needs the Python prototype, which is not part of this repository",
    ]

    /// Examples that fail on the demo database on purpose, with the exit code.
    static let intendedFailures: [String: Int32] = [
        // hbo runs on 64 nodes in the demo; the example is for a container that runs nowhere.
        "praas-db unregister hbo --yes": 4
    ]

    /// Commands whose examples create a database, so they run where none exists yet.
    static let creatingDatabase: Set = ["init", "import"]

    /// Command lines run before a command's examples, so that the change or the
    /// placement an example names exists: the demo leaves revision 7 and changes 1
    /// to 6, so the next change is 7.
    static let setup: [String: [String]] = [
        "approve": ["praas-db balloon hbo --depth 1"],
        "deploy": ["praas-db balloon hbo --depth 1", "praas-db approve 7"],
        "reject": ["praas-db balloon hbo --depth 1"],
        "remove": ["praas-db place Fortnite --node N77 --yes"],
        "move": ["praas-db place Fortnite --node N77 --yes"],
    ]

    /// A folder as a reader has it after the quick start: praas.db from the demo,
    /// copies named as the examples name them, a state file, and a home folder.
    static func prepareFolder() throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        let demo = try CLI.run(["demo", "--db", "praas.db"], in: directory.path)
        guard demo.exitCode == 0 else {
            throw Fixtures.FixtureError(description: "praas-db demo failed: \(demo.standardError)")
        }
        for copy in ["city.db", "backup.db"] {
            try FileManager.default.copyItem(atPath: directory.file("praas.db"), toPath: directory.file(copy))
        }
        try CLI.run(["export", "--output", "state.json"], in: directory.path)
        try FileManager.default.createDirectory(atPath: directory.file("home/.config/fish/completions"), withIntermediateDirectories: true)
        return directory
    }

    /// Runs `commandLine` with bash in `directory`, with `praas-db` on PATH and
    /// HOME inside the folder.
    static func runCommandLine(_ commandLine: String, in directory: TemporaryDirectory) throws -> CommandResult {
        let binaryFolder = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().path
        return try Tools.run(
            "bash", ["-o", "pipefail", "-c", commandLine], in: directory.path,
            environment: [
                "PATH": binaryFolder + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                "HOME": directory.file("home"), "PRAAS_DB": "", "USER": "tester", "NO_COLOR": "1",
            ])
    }

    static let commandsWithExamples = Program.commands.map(\.spec).filter { !$0.examples.isEmpty }.map(\.name)

    /// The examples of one command run in order in one fresh folder, so a later
    /// example may use what an earlier one wrote.
    @Test(arguments: commandsWithExamples)
    func helpExamplesRun(command: String) throws {
        let spec = try #require(Program.spec.command(named: command))
        let directory = try Self.prepareFolder()
        if Self.creatingDatabase.contains(command) {
            for file in ["praas.db", "city.db", "backup.db"] {
                try FileManager.default.removeItem(atPath: directory.file(file))
            }
        }
        for commandLine in Self.setup[command] ?? [] {
            let result = try Self.runCommandLine(commandLine, in: directory)
            #expect(result.exitCode == 0, "setup '\(commandLine)': \(result.standardError)")
        }
        for example in spec.examples where Self.notRun[example.commandLine] == nil {
            let result = try Self.runCommandLine(example.commandLine, in: directory)
            let expected = Self.intendedFailures[example.commandLine] ?? 0
            #expect(
                result.exitCode == expected,
                "'\(example.commandLine)' exited with \(result.exitCode): \(result.standardError)")
        }
    }

    /// The command lines of the README's first session, run in order in an empty folder.
    @Test func readmeFirstSessionRuns() throws {
        let readme = try Fixtures.packageFile("README.md")
        let session = readme.components(separatedBy: "## A first session").dropFirst().first?.components(separatedBy: "\n## ").first ?? ""
        let commandLines = session.split(separator: "\n")
            .filter { $0.hasPrefix("$ praas-db ") }
            .map { String($0.dropFirst(2)) }
        #expect(commandLines.count >= 5)
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("home"), withIntermediateDirectories: true)
        for commandLine in commandLines {
            let result = try Self.runCommandLine(commandLine, in: directory)
            #expect(result.exitCode == 0, "'\(commandLine)' exited with \(result.exitCode): \(result.standardError)")
        }
    }
}
